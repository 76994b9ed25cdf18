// embedsrv: a small Go service with its web assets compiled into the binary (go:embed):
// an HTML site and a JSON API on :8080, and a line-based key-value protocol on :7070
// that shares the same store. Only /data/motd.txt is read from the file system, per
// request, so operators can change the message without a rebuild.
package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"flag"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"path"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

const version = "1.4.2"

var (
	started = time.Now().UTC().Truncate(time.Second)
	runID   = newRunID()
	pages   = template.Must(template.ParseFS(templateFS, "templates/*.html"))
	store   = newStore(map[string]string{"greeting": "hello, world", "lang": "go", "city": "Zürich"})
)

func newRunID() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// --- the store shared by both protocols -------------------------------------------------

type kvStore struct {
	mu sync.RWMutex
	m  map[string]string
}

func newStore(seed map[string]string) *kvStore {
	s := &kvStore{m: map[string]string{}}
	for k, v := range seed {
		s.m[k] = v
	}
	return s
}
func (s *kvStore) Get(k string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.m[k]
	return v, ok
}
func (s *kvStore) Set(k, v string) { s.mu.Lock(); s.m[k] = v; s.mu.Unlock() }
func (s *kvStore) Del(k string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.m[k]
	delete(s.m, k)
	return ok
}
func (s *kvStore) Keys() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.m))
	for k := range s.m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// --- HTTP ----------------------------------------------------------------------------------

type asset struct {
	data []byte
	etag string
}

// loadAssets reads the embedded static files once and gives each a strong ETag.
func loadAssets() map[string]asset {
	assets := map[string]asset{}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		assets["/"+p] = asset{data: data, etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		return nil
	})
	if err != nil {
		log.Fatalf("embedded assets: %v", err)
	}
	return assets
}

func render(w http.ResponseWriter, status int, name string, data map[string]any) {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		log.Printf("template %s: %v", name, err)
		http.Error(w, "template error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

func notFound(w http.ResponseWriter, r *http.Request) {
	render(w, http.StatusNotFound, "404.html", map[string]any{"Title": "Not found", "Path": r.URL.Path})
}

func httpHandler(motdPath string) http.Handler {
	assets := loadAssets()
	mux := http.NewServeMux()

	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			notFound(w, r)
			return
		}
		render(w, http.StatusOK, "index.html", map[string]any{"Title": "Home", "Version": version, "Keys": store.Keys()})
	})

	mux.HandleFunc("/static/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[path.Clean(r.URL.Path)]
		if !ok {
			notFound(w, r)
			return
		}
		w.Header().Set("ETag", a.etag)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		// content type from the extension, If-None-Match (304), Range
		http.ServeContent(w, r, r.URL.Path, time.Time{}, bytes.NewReader(a.data))
	})

	mux.HandleFunc("/about", func(w http.ResponseWriter, r *http.Request) {
		render(w, http.StatusOK, "about.html", map[string]any{
			"Title":   "About",
			"Version": version,
			"Go":      runtime.Version(),
			"Started": started.Format(time.RFC3339),
			"RunID":   runID,
			"Uptime":  int64(time.Since(started).Seconds()),
		})
	})

	mux.HandleFunc("/data/motd", func(w http.ResponseWriter, r *http.Request) {
		data, err := os.ReadFile(motdPath)
		if err != nil {
			log.Printf("motd: %v", err)
			http.Error(w, "message of the day unavailable", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(data)
	})

	mux.HandleFunc("/api/info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{
			"name": "embedsrv", "version": version, "go": runtime.Version(),
			"ports": map[string]int{"http": 8080, "kv": 7070},
		})
	})

	mux.HandleFunc("/api/kv", func(w http.ResponseWriter, r *http.Request) {
		keys := store.Keys()
		all := make(map[string]string, len(keys))
		for _, k := range keys {
			all[k], _ = store.Get(k)
		}
		writeJSON(w, http.StatusOK, map[string]any{"count": len(keys), "keys": keys, "values": all})
	})

	mux.HandleFunc("/api/kv/", func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.URL.Path, "/api/kv/")
		if !validKey(key) {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid key"})
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead:
			v, ok := store.Get(key)
			if !ok {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such key", "key": key})
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"key": key, "value": v})
		case http.MethodPut:
			body, err := io.ReadAll(io.LimitReader(r.Body, 4096))
			if err != nil || strings.ContainsAny(string(body), "\r\n") {
				writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid value"})
				return
			}
			store.Set(key, string(body))
			writeJSON(w, http.StatusOK, map[string]string{"key": key, "value": string(body)})
		case http.MethodDelete:
			if !store.Del(key) {
				writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such key", "key": key})
				return
			}
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Header().Set("Allow", "GET, HEAD, PUT, DELETE")
			writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method not allowed"})
		}
	})
	return logRequests(mux)
}

func logRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.Printf("http %s %s %s", r.RemoteAddr, r.Method, r.URL.RequestURI())
		h.ServeHTTP(w, r)
	})
}

var keyRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

func validKey(k string) bool { return keyRe.MatchString(k) }

// --- the line protocol ------------------------------------------------------------------------
//
//   PING             -> PONG
//   ECHO text        -> text
//   TIME             -> TIME 2006-01-02T15:04:05Z
//   SET key value    -> OK            (value: the rest of the line)
//   GET key          -> VALUE value | NOT_FOUND
//   DEL key          -> DELETED | NOT_FOUND
//   KEYS             -> KEYS k1 k2 ...
//   QUIT             -> BYE, then the server closes
// Anything else (an HTTP request line, say) -> "ERR unknown command", then the server closes.

var httpRequestLine = regexp.MustCompile(`^[A-Z]+ \S+ HTTP/\d`)

func serveKV(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	w := bufio.NewWriter(conn)
	reply := func(s string) { w.WriteString(s + "\r\n"); w.Flush() }
	for {
		conn.SetReadDeadline(time.Now().Add(5 * time.Minute))
		line, err := r.ReadString('\n')
		if err != nil && line == "" {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		if line == "" {
			continue
		}
		if httpRequestLine.MatchString(line) {
			reply("ERR unknown command")
			return
		}
		cmd, rest, _ := strings.Cut(line, " ")
		args := strings.Fields(rest)
		switch strings.ToUpper(cmd) {
		case "PING":
			reply("PONG")
		case "ECHO":
			reply(rest)
		case "TIME":
			reply("TIME " + time.Now().UTC().Format(time.RFC3339))
		case "SET":
			key, value, ok := strings.Cut(rest, " ")
			if !ok || !validKey(key) {
				reply("ERR usage: SET key value")
				continue
			}
			store.Set(key, value)
			reply("OK")
		case "GET":
			if len(args) != 1 {
				reply("ERR usage: GET key")
				continue
			}
			if v, ok := store.Get(args[0]); ok {
				reply("VALUE " + v)
			} else {
				reply("NOT_FOUND")
			}
		case "DEL":
			if len(args) != 1 {
				reply("ERR usage: DEL key")
				continue
			}
			if store.Del(args[0]) {
				reply("DELETED")
			} else {
				reply("NOT_FOUND")
			}
		case "KEYS":
			reply(strings.TrimSpace("KEYS " + strings.Join(store.Keys(), " ")))
		case "QUIT":
			reply("BYE")
			return
		default:
			reply("ERR unknown command")
			return
		}
		if err != nil {
			return
		}
	}
}

func listenKV(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatalf("kv: %v", err)
	}
	log.Printf("kv protocol on %s", addr)
	for {
		conn, err := ln.Accept()
		if err != nil {
			log.Printf("kv accept: %v", err)
			continue
		}
		go serveKV(conn)
	}
}

func main() {
	httpAddr := flag.String("http", ":8080", "HTTP listen address")
	kvAddr := flag.String("kv", ":7070", "key-value protocol listen address")
	motd := flag.String("motd", "/data/motd.txt", "message of the day, read per request")
	flag.Parse()
	log.SetFlags(log.LstdFlags | log.LUTC)
	log.Printf("embedsrv %s (%s) run %s started %s", version, runtime.Version(), runID, started.Format(time.RFC3339))
	go listenKV(*kvAddr)
	srv := &http.Server{Addr: *httpAddr, Handler: httpHandler(*motd), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("http on %s", *httpAddr)
	log.Fatal(srv.ListenAndServe())
}
