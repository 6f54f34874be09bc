module github.com/evote/evote

go 1.26.8

require (
	github.com/gtank/ristretto255 v0.2.0
	github.com/urfave/cli/v2 v2.27.7
	go.dedis.ch/kyber/v3 v3.1.0
)

require (
	filippo.io/edwards25519 v1.2.0 // indirect
	github.com/cpuguy83/go-md2man/v2 v2.0.7 // indirect
	github.com/russross/blackfriday/v2 v2.1.0 // indirect
	github.com/xrash/smetrics v0.0.0-20240521201337-686a1a2994c1 // indirect
	go.dedis.ch/fixbuf v1.0.3 // indirect
	golang.org/x/crypto v0.0.0-20190123085648-057139ce5d2b // indirect
	golang.org/x/sys v0.0.0-20190124100055-b90733256f2e // indirect
)
