package node

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/bulletin/store"
)

// metrics are the node's own Prometheus collectors; the HTTP API and
// libp2p register theirs in the same registry. docs/NODE.md lists them.
type metrics struct {
	reg        *prometheus.Registry
	entries    *prometheus.CounterVec // by source and result
	rejections *prometheus.CounterVec // by numbered check
	batch      prometheus.Histogram
	apply      prometheus.Histogram
	append     prometheus.Histogram
	ckptSize   *prometheus.GaugeVec // by election
	lag        *prometheus.GaugeVec // by election and peer
	audits     *prometheus.CounterVec
	evidence   prometheus.Counter
}

// Results of an entry through the ingest path, the "result" label.
const (
	resultAccepted  = "accepted"
	resultDuplicate = "duplicate"
	resultEarly     = "early"
	resultRejected  = "rejected"
)

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m := &metrics{
		reg: reg,
		entries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "node", Name: "entries_total",
			Help: "Entries through the ingest path, by source (http, peer, self) and result (accepted, duplicate, early, rejected).",
		}, []string{"source", "result"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "node", Name: "rejections_total",
			Help: "Entries rejected, by the numbered record check they failed (docs/SPEC.md §7.8; 0: not a record check).",
		}, []string{"check"}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "evote", Subsystem: "node", Name: "batch_entries",
			Help:    "Entries checked together in one batch of an election's queue.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 7),
		}),
		apply: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "evote", Subsystem: "node", Name: "check_seconds",
			Help:    "Time to check one batch against the election's record.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9),
		}),
		append: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "evote", Subsystem: "node", Name: "append_seconds",
			Help:    "Time to append one batch durably to the store.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 9),
		}),
		ckptSize: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "evote", Subsystem: "node", Name: "checkpoint_size",
			Help: "Size of the latest checkpoint the node signed, by election.",
		}, []string{"election"}),
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Namespace: "evote", Subsystem: "node", Name: "replication_lag_entries",
			Help: "A peer's latest checkpoint size minus this node's log size, by election and peer (positive: the peer holds more).",
		}, []string{"election", "peer"}),
		audits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "node", Name: "peer_checkpoints_total",
			Help: "Peers' checkpoints fetched and checked, by result (consistent, unreachable, bad_signature, unproven, inconsistent).",
		}, []string{"result"}),
		evidence: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "node", Name: "evidence_total",
			Help: "Pairs of inconsistent checkpoints kept as evidence since the node started.",
		}),
	}
	reg.MustRegister(m.entries, m.rejections, m.batch, m.apply, m.append, m.ckptSize, m.lag, m.audits, m.evidence)
	return m
}

// registerStore exposes the store's counts.
func (m *metrics) registerStore(s *store.Store) {
	m.reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "store", Name: "commits_total",
			Help: "Durable transactions (one disk sync each).",
		}, func() float64 { return float64(s.Stats().Commits) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "store", Name: "entries_total",
			Help: "Entries appended to the store since the node started.",
		}, func() float64 { return float64(s.Stats().Entries) }),
	)
}

// registerHost exposes the p2p host's peers and counts.
func (m *metrics) registerHost(h *p2p.Host) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: "evote", Subsystem: "node", Name: "peers",
		Help: "Replication peers connected.",
	}, func() float64 { return float64(len(h.ConnectedPeers())) }))
	stat := func(name, help string, f func(p2p.Stats) uint64) {
		m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Namespace: "evote", Subsystem: "p2p", Name: name, Help: help,
		}, func() float64 { return float64(f(h.Stats())) }))
	}
	stat("gossip_accepted_total", "Gossiped entries accepted.", func(s p2p.Stats) uint64 { return s.GossipAccepted })
	stat("gossip_ignored_total", "Gossiped entries ignored (duplicates).", func(s p2p.Stats) uint64 { return s.GossipIgnored })
	stat("gossip_rejected_total", "Gossiped entries rejected.", func(s p2p.Stats) uint64 { return s.GossipRejected })
	stat("gossip_early_total", "Gossiped entries kept for a retry.", func(s p2p.Stats) uint64 { return s.GossipEarly })
	stat("outsider_rpcs_total", "Gossip RPCs dropped from peers that are not replication peers.", func(s p2p.Stats) uint64 { return s.OutsiderRPCs })
	stat("sync_served_total", "Pull-sync requests answered.", func(s p2p.Stats) uint64 { return s.SyncServed })
	stat("sync_refused_total", "Pull-sync requests refused.", func(s p2p.Stats) uint64 { return s.SyncRefused })
}

func (m *metrics) rejected(check int) {
	m.rejections.WithLabelValues(strconv.Itoa(check)).Inc()
}
