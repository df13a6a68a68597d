package bluesky_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	did         = "did:plc:abc123marca"
	handle      = "marca.test"
	appPassword = "abcd-efgh-ijkl-mnop"
	access1     = "ACCESS-JWT-1-eyJhbGciOiJFUzI1NksifQ.secret"
	refresh1    = "REFRESH-JWT-1-eyJhbGciOiJFUzI1NksifQ.secret"
	access2     = "ACCESS-JWT-2-eyJhbGciOiJFUzI1NksifQ.secret"
	refresh2    = "REFRESH-JWT-2-eyJhbGciOiJFUzI1NksifQ.secret"
)

type recorded struct {
	Method, NSID, Query string
	Header              http.Header
	Body                []byte
}

// fakeNet is an entryway (sessions) and a separate PDS (repo calls), the
// way bsky.social splits them. The session's DID document points at the PDS.
type fakeNet struct {
	t        testing.TB
	mu       sync.Mutex
	entryway *httptest.Server
	pds      *httptest.Server
	reqs     []recorded // both servers, in order; NSID prefixed "entryway:" or "pds:"

	access, refresh string            // currently valid tokens
	expired         map[string]bool   // access tokens that answer ExpiredToken
	handles         map[string]string // resolvable handles
	records         map[string]json.RawMessage
	noDIDDoc        bool
	override        map[string]http.HandlerFunc // "pds:nsid" → answer instead
}

func newFakeNet(t testing.TB) *fakeNet {
	f := &fakeNet{t: t, access: access1, refresh: refresh1, expired: map[string]bool{},
		handles: map[string]string{handle: did, "amiga.test": "did:plc:amiga"}, records: map[string]json.RawMessage{},
		override: map[string]http.HandlerFunc{}}
	f.entryway = httptest.NewServer(f.handler("entryway"))
	f.pds = httptest.NewServer(f.handler("pds"))
	t.Cleanup(f.entryway.Close)
	t.Cleanup(f.pds.Close)
	return f
}

func xrpcErr(w http.ResponseWriter, status int, name, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": name, "message": msg})
}

func ok(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeNet) sessionAnswer(access, refresh string) map[string]any {
	a := map[string]any{"did": did, "handle": handle, "accessJwt": access, "refreshJwt": refresh, "active": true}
	if !f.noDIDDoc {
		a["didDoc"] = map[string]any{"id": did, "service": []map[string]any{
			{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": f.pds.URL},
		}}
	}
	return a
}

func (f *fakeNet) handler(which string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		nsid := which + ":" + strings.TrimPrefix(r.URL.Path, "/xrpc/")
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{r.Method, nsid, r.URL.RawQuery, r.Header.Clone(), b})
		h := f.override[nsid]
		f.mu.Unlock()
		if h != nil {
			h(w, r)
			return
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		bearer := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		authed := func() bool {
			if f.expired[bearer] {
				xrpcErr(w, 400, "ExpiredToken", "Token has expired")
				return false
			}
			if bearer != f.access {
				xrpcErr(w, 401, "AuthenticationRequired", "Invalid token")
				return false
			}
			return true
		}
		switch nsid {
		case "entryway:com.atproto.server.createSession":
			var in struct{ Identifier, Password string }
			json.Unmarshal(b, &in)
			if (in.Identifier == handle || in.Identifier == did) && in.Password == appPassword {
				ok(w, f.sessionAnswer(f.access, f.refresh))
				return
			}
			xrpcErr(w, 401, "AuthenticationRequired", "Invalid identifier or password")
		case "entryway:com.atproto.server.refreshSession":
			if bearer != f.refresh {
				xrpcErr(w, 400, "ExpiredToken", "Token has been revoked")
				return
			}
			f.access, f.refresh = access2, refresh2
			ok(w, f.sessionAnswer(f.access, f.refresh))
		case "entryway:com.atproto.identity.resolveHandle", "pds:com.atproto.identity.resolveHandle":
			if d, found := f.handles[r.URL.Query().Get("handle")]; found {
				ok(w, map[string]string{"did": d})
				return
			}
			xrpcErr(w, 400, "HandleNotFound", "Unable to resolve handle")
		case "pds:com.atproto.repo.uploadBlob":
			if !authed() {
				return
			}
			sum := sha256.Sum256(b)
			ok(w, map[string]any{"blob": map[string]any{"$type": "blob", "ref": map[string]string{"$link": "bafkrei" + hex.EncodeToString(sum[:8])},
				"mimeType": r.Header.Get("Content-Type"), "size": len(b)}})
		case "pds:com.atproto.repo.putRecord":
			if !authed() {
				return
			}
			var in struct {
				Repo, Collection, Rkey string
				Record                 json.RawMessage
				SwapRecord             *string
			}
			json.Unmarshal(b, &in)
			var canon bytes.Buffer
			json.Compact(&canon, in.Record)
			sum := sha256.Sum256(canon.Bytes())
			cid := "bafyrei" + hex.EncodeToString(sum[:10])
			uri := fmt.Sprintf("at://%s/%s/%s", in.Repo, in.Collection, in.Rkey)
			if cur, exists := f.records[in.Rkey]; exists {
				cs := sha256.Sum256(cur)
				if !bytes.Equal(cur, canon.Bytes()) {
					xrpcErr(w, 400, "InvalidSwap", "Record was at bafyrei"+hex.EncodeToString(cs[:10]))
					return
				}
			}
			f.records[in.Rkey] = canon.Bytes()
			ok(w, map[string]string{"uri": uri, "cid": cid})
		case "pds:com.atproto.repo.getRecord":
			if !authed() {
				return
			}
			rkey := r.URL.Query().Get("rkey")
			rec, found := f.records[rkey]
			if !found {
				xrpcErr(w, 400, "RecordNotFound", "Could not locate record")
				return
			}
			sum := sha256.Sum256(rec)
			ok(w, map[string]any{"uri": fmt.Sprintf("at://%s/app.bsky.feed.post/%s", r.URL.Query().Get("repo"), rkey),
				"cid": "bafyrei" + hex.EncodeToString(sum[:10]), "value": rec})
		default:
			xrpcErr(w, 501, "MethodNotImplemented", "Method Not Implemented")
		}
	}
}

func (f *fakeNet) requests(nsid string) []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recorded
	for _, r := range f.reqs {
		if r.NSID == nsid {
			out = append(out, r)
		}
	}
	return out
}
