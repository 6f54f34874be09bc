package client

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/election"
)

// Submit posts an entry's canonical bytes and returns the receipt of the
// node that stored it (or already held it). The receipt is checked to be
// about this entry; its signature is the caller's to check against the
// manifest's key for receipt.Node. A node that cannot be reached or fails
// is skipped for the next; a refusal is an *Error whose Check names the
// record check the entry broke.
func (c *Client) Submit(ctx context.Context, entry []byte) (*bulletin.Receipt, error) {
	id := election.ID(sha256.Sum256(entry))
	e, decodeErr := election.DecodeEntry(entry)
	var rc *bulletin.Receipt
	_, err := c.do(ctx, request{method: "POST", path: "/v1/entries", body: entry,
		contentType: "application/octet-stream", accept: "application/json",
		decode: func(status int, _ http.Header, body []byte) error {
			if decodeErr != nil {
				return fmt.Errorf("the node accepted an entry that does not decode: %v", decodeErr)
			}
			var sj api.SubmitJSON
			if err := json.Unmarshal(body, &sj); err != nil {
				return err
			}
			el := e.Election
			if e.Type == election.TypeManifest {
				el = id
			}
			r, err := decodeReceipt(&sj.Receipt, el, id)
			if err != nil {
				return err
			}
			rc = r
			return nil
		}})
	if err != nil {
		return nil, err
	}
	return rc, nil
}

// Elections lists the elections a node serves.
func (c *Client) Elections(ctx context.Context) ([]election.ID, error) {
	var ids []election.ID
	_, _, err := getJSON(ctx, c, "/v1/elections", func(ej *api.ElectionsJSON) error {
		ids = make([]election.ID, len(ej.Elections))
		for i, s := range ej.Elections {
			var err error
			if ids[i], err = decodeHash("election id", s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// Page is one page of a node's log.
type Page struct {
	Entries []bulletin.Stored
	// Next is the from of the following page.
	Next uint64
	// More says whether the node held more entries when it answered.
	More bool
}

// Entries returns a page of election el's entries in one node's log,
// from log index from on, at most limit of them (the node may lower the
// limit), of type typ or of every type when typ is 0. Every entry is
// checked as [Client.Entry] checks it, and the indexes to increase.
func (c *Client) Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) (*Page, error) {
	p, _, err := c.entries(ctx, el, typ, from, limit)
	return p, err
}

func (c *Client) entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) (*Page, int, error) {
	if limit < 1 {
		return nil, -1, fmt.Errorf("client: entries: limit %d, want at least 1", limit)
	}
	q := url.Values{"from": {strconv.FormatUint(from, 10)}, "limit": {strconv.Itoa(limit)}}
	if typ != 0 {
		if typ.String() == "unknown" {
			return nil, -1, fmt.Errorf("client: entries: unknown entry type %d", typ)
		}
		q.Set("type", typ.String())
	}
	var page *Page
	_, node, err := getJSON(ctx, c, "/v1/elections/"+el.String()+"/entries?"+q.Encode(), func(pj *api.PageJSON) error {
		p, err := checkPage(el, typ, from, limit, pj)
		page = p
		return err
	})
	if err != nil {
		return nil, -1, err
	}
	return page, node, nil
}

// checkPage checks a page against the request it answers.
func checkPage(el election.ID, typ election.EntryType, from uint64, limit int, pj *api.PageJSON) (*Page, error) {
	if len(pj.Entries) > limit {
		return nil, fmt.Errorf("page of %d entries, asked for at most %d", len(pj.Entries), limit)
	}
	p := &Page{Entries: make([]bulletin.Stored, 0, len(pj.Entries)), Next: pj.Next, More: pj.More}
	next := from
	for i := range pj.Entries {
		s, _, err := decodeEntry(el, &pj.Entries[i])
		if err != nil {
			return nil, err
		}
		if s.Index < next {
			return nil, fmt.Errorf("entry at index %d where the page is past %d", s.Index, next)
		}
		if typ != 0 && s.Type != typ {
			return nil, fmt.Errorf("entry %d is a %s, asked for %s", s.Index, s.Type, typ)
		}
		p.Entries = append(p.Entries, *s)
		next = s.Index + 1
	}
	if (len(p.Entries) > 0 && p.Next != next) || p.Next < from {
		return nil, fmt.Errorf("next %d after a page ending before %d (from %d)", p.Next, next, from)
	}
	if p.More && len(p.Entries) == 0 {
		return nil, fmt.Errorf("an empty page that says there is more")
	}
	return p, nil
}

// All returns every entry of election el of type typ (every type when 0)
// in one node's log order, page by page: the node that answers the first
// page answers all the others, since log indexes belong to one node. It
// ends, with the error, at the first failure; the iteration reaches the
// entries the node held when it asked for the last page.
func (c *Client) All(ctx context.Context, el election.ID, typ election.EntryType) iter.Seq2[bulletin.Stored, error] {
	const pageSize = 1000
	return func(yield func(bulletin.Stored, error) bool) {
		page, node, err := c.entries(ctx, el, typ, 0, pageSize)
		if err != nil {
			yield(bulletin.Stored{}, err)
			return
		}
		pinned := c
		if len(c.nodes) > 1 {
			pinned = c.Nodes()[node]
		}
		for {
			for _, s := range page.Entries {
				if !yield(s, nil) {
					return
				}
			}
			if !page.More {
				return
			}
			if page, _, err = pinned.entries(ctx, el, typ, page.Next, pageSize); err != nil {
				yield(bulletin.Stored{}, err)
				return
			}
		}
	}
}

// Entry returns entry id of election el, checked: its bytes hash to id, it
// decodes, and it belongs to el. Entries are the same on every node, so any
// node may answer.
func (c *Client) Entry(ctx context.Context, el, id election.ID) (*bulletin.Stored, error) {
	var out *bulletin.Stored
	_, _, err := getJSON(ctx, c, "/v1/elections/"+el.String()+"/entries/"+hex.EncodeToString(id[:]), func(ej *api.EntryJSON) error {
		s, _, err := decodeEntry(el, ej)
		if err != nil {
			return err
		}
		if s.ID != id {
			return fmt.Errorf("asked for entry %s, got %s", id, s.ID)
		}
		out = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CountedBallot returns the ballot entry that the last-ballot rule counts
// for credential now, from the first node that answers; a node's 404 (an
// *Error with Status 404) means the credential has cast no ballot there.
// The entry is checked to be a ballot of el signed by credential.
func (c *Client) CountedBallot(ctx context.Context, el election.ID, credential ed25519.PublicKey) (*bulletin.Stored, error) {
	var out *bulletin.Stored
	_, _, err := getJSON(ctx, c, "/v1/elections/"+el.String()+"/credentials/"+hex.EncodeToString(credential)+"/ballot", func(ej *api.EntryJSON) error {
		s, _, err := decodeEntry(el, ej)
		if err != nil {
			return err
		}
		e, err := election.DecodeEntry(s.Bytes)
		if err != nil {
			return err
		}
		if e.Type != election.TypeBallot || !e.Author.Equal(credential) {
			return fmt.Errorf("asked for the ballot of credential %x, got a %v entry by %x", []byte(credential), e.Type, []byte(e.Author))
		}
		out = s
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
