package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// FuzzAnswers feeds arbitrary bodies to the client's answer decoders: none
// panics, and a page they accept holds only entries whose ids are their
// hashes, of election el, in increasing order.
func FuzzAnswers(f *testing.F) {
	m := apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("m"))
	el := election.ID(sha256.Sum256(m))
	b := apitest.Entry(apitest.Key(1), el, election.TypeBallot, []byte("b"))
	entry := func(i int, e []byte, typ string) string {
		return fmt.Sprintf(`{"index":%d,"id":"%x","type":%q,"entry":%q}`, i, sha256.Sum256(e), typ, base64.StdEncoding.EncodeToString(e))
	}
	f.Add([]byte(`{"entries":[` + entry(0, m, "manifest") + `,` + entry(1, b, "ballot") + `],"next":2,"more":false}`))
	f.Add([]byte(`{"entries":[` + entry(3, b, "ballot") + `],"next":4,"more":true}`))
	f.Add([]byte(`{"entries":[],"next":0,"more":true}`))
	f.Add([]byte(`{"receipt":{"election":"00","entry":"00","index":1,"time":2,"node":"","signature":""}}`))
	f.Add([]byte(`{"evidence":[{"election":"","a":{"size":1,"root":"00"},"b":{},"proof":["00"],"reason":""}]}`))
	f.Add([]byte(`{"seals":[` + entry(0, b, "seal") + `]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var pj api.PageJSON
		if json.Unmarshal(body, &pj) == nil {
			if p, err := checkPage(el, 0, 0, 5, &pj); err == nil {
				next := uint64(0)
				for _, s := range p.Entries {
					if s.ID != sha256.Sum256(s.Bytes) || s.Index < next {
						t.Fatalf("accepted entry %d with a wrong id or out of order", s.Index)
					}
					next = s.Index + 1
				}
			}
		}
		var ej api.EntryJSON
		if json.Unmarshal(body, &ej) == nil {
			_, _, _ = decodeEntry(el, &ej)
			_, _ = decodeSeal(el, &ej)
		}
		var sj api.SubmitJSON
		if json.Unmarshal(body, &sj) == nil {
			_, _ = decodeReceipt(&sj.Receipt, el, el)
		}
		var evs api.EvidencesJSON
		if json.Unmarshal(body, &evs) == nil {
			for i := range evs.Evidence {
				_, _ = decodeEvidence(&evs.Evidence[i])
			}
		}
	})
}
