module corpus.example/embedsrv

go 1.19
