// minify sample: a static site served by a static binary on a scratch image (no shell,
// no libc). Files are read per request; /lazy reads data/catalog.json only when it is hit.
package main

import (
	"encoding/json"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

var types = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".svg":  "image/svg+xml",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	siteRoot := env("SITE_ROOT", "/site")
	dataRoot := env("DATA_ROOT", "/data")

	mux := http.NewServeMux()
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("/lazy", func(w http.ResponseWriter, r *http.Request) {
		raw, err := os.ReadFile(filepath.Join(dataRoot, "catalog.json"))
		if err != nil {
			http.Error(w, "catalog: "+err.Error(), http.StatusInternalServerError)
			return
		}
		var cat struct {
			Name  string   `json:"name"`
			Pages []string `json:"pages"`
		}
		if err := json.Unmarshal(raw, &cat); err != nil {
			http.Error(w, "catalog: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]interface{}{"lazy": "catalog", "name": cat.Name, "pages": len(cat.Pages)})
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p := path.Clean("/" + r.URL.Path)
		if strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		body, err := os.ReadFile(filepath.Join(siteRoot, filepath.FromSlash(p)))
		if err != nil {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		ct, ok := types[path.Ext(p)]
		if !ok {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Write(body)
	})
	log.Printf("static-scratch listening on 8080")
	log.Fatal(http.ListenAndServe("0.0.0.0:8080", mux))
}
