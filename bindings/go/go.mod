module github.com/sluice-dev/sluice/bindings/go

go 1.22
