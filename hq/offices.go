package hq

import (
	"context"
	"os"
	"path/filepath"

	"antre/hq/natsd"
	"antre/hq/pg"
	"antre/hqwire"
)

// AddOffice registers an office with headquarters and returns its credentials, which are not
// kept anywhere: only the public part of its key is stored. It works whether headquarters runs
// or not (a running headquarters picks the office up within a second); cfg needs Data and
// Postgres.
func AddOffice(ctx context.Context, cfg Config, o pg.Office) (hqwire.Credentials, error) {
	if err := cfg.complete(); err != nil {
		return hqwire.Credentials{}, err
	}
	store, err := pg.Open(ctx, cfg.Postgres)
	if err != nil {
		return hqwire.Credentials{}, err
	}
	defer store.Close()
	keys, err := natsd.LoadKeys(cfg.Data)
	if err != nil {
		return hqwire.Credentials{}, err
	}
	ca, err := officeCA(cfg)
	if err != nil {
		return hqwire.Credentials{}, err
	}
	return addOffice(ctx, store, keys, ca, o)
}

// officeCA is the CA an office must trust: the external cluster's, the one configured with
// the embedded server's certificate, or headquarters' own (made now if need be).
func officeCA(cfg Config) ([]byte, error) {
	switch {
	case cfg.NATSExternal != "" && cfg.NATSCA != "":
		return os.ReadFile(cfg.NATSCA)
	case cfg.NATSExternal != "":
		return nil, nil
	case cfg.TLSCert != "" && cfg.TLSCA != "":
		return os.ReadFile(cfg.TLSCA)
	case cfg.TLSCert != "":
		return nil, nil
	}
	files, err := natsd.EnsureTLS(filepath.Join(cfg.Data, "tls"), cfg.TLSHosts)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(files.CA)
}

// AddOffice registers an office with this headquarters and returns its credentials.
func (h *HQ) AddOffice(ctx context.Context, o pg.Office) (hqwire.Credentials, error) {
	c, err := addOffice(ctx, h.store, h.keys, h.caPEM, o)
	if err == nil {
		st, err := h.store.Office(ctx, o.Code)
		if err == nil {
			err = h.addOffice(ctx, st)
		}
		if err != nil {
			h.log.Warn("new office: the watch will pick it up", "office", o.Code, "err", err)
		}
	}
	return c, err
}

func addOffice(ctx context.Context, store *pg.Store, keys *natsd.Keys, ca []byte, o pg.Office) (hqwire.Credentials, error) {
	if err := hqwire.ValidOfficeCode(o.Code); err != nil {
		return hqwire.Credentials{}, err
	}
	creds, pub, err := keys.IssueOffice(o.Code, ca)
	if err != nil {
		return hqwire.Credentials{}, err
	}
	o.UserKey = pub
	if err := store.AddOffice(ctx, o); err != nil {
		return hqwire.Credentials{}, err
	}
	return creds, nil
}
