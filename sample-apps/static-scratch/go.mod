module minify.io/samples/staticscratch

go 1.19
