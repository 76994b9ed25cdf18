// minify sample: a stdlib-only Go HTTP server, built inside its Dockerfile on the local Go
// base (the toolchain stays in the image, which is the point of this demo).
//
// /lazy parses templates/lazy.tmpl only when it is hit, so a slim image built without
// probing /lazy would be missing it.
package main

import (
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

type item struct {
	ID    int    `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

var items = []item{{1, "apple", 3}, {2, "banana", 2}, {3, "cherry", 7}}

func appHome() string {
	if h := os.Getenv("APP_HOME"); h != "" {
		return h
	}
	return "/app"
}

func writeJSON(w http.ResponseWriter, status int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.Error(w, "not found", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<html><body><h1>go-http sample</h1><a href="/health">health</a> `+
			`<a href="/api/items">items</a> <a href="/lazy">lazy</a></body></html>`)
	})
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "ok\n")
	})
	mux.HandleFunc("/api/items", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]interface{}{"items": items, "count": len(items)})
	})
	mux.HandleFunc("/api/items/", func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/api/items/")
		for _, it := range items {
			if fmt.Sprint(it.ID) == id {
				writeJSON(w, 200, it)
				return
			}
		}
		writeJSON(w, 404, map[string]string{"error": "no such item"})
	})
	mux.HandleFunc("/echo", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		body, _ := io.ReadAll(r.Body)
		writeJSON(w, 200, map[string]interface{}{"echo": string(body), "length": len(body)})
	})
	mux.HandleFunc("/lazy", func(w http.ResponseWriter, r *http.Request) {
		// Deliberately parsed per request: the template file is read on demand only.
		t, err := template.ParseFiles(filepath.Join(appHome(), "templates", "lazy.tmpl"))
		if err != nil {
			http.Error(w, "template: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := t.Execute(w, map[string]interface{}{"Items": items}); err != nil {
			log.Printf("lazy: %v", err)
		}
	})
	mux.HandleFunc("/time", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]int64{"time": time.Now().UnixMilli()})
	})
	log.Printf("go-http listening on 8080")
	log.Fatal(http.ListenAndServe("0.0.0.0:8080", mux))
}
