module minify.io/samples/gohttp

go 1.19
