// Package postgres opens the store on PostgreSQL through pgx, for several
// dashboard instances sharing one database.
package postgres

import (
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"github.com/svenskaindustrikommuner/dashboard/internal/store/sqlstore"
)

// Dialect is PostgreSQL's flavour of the shared SQL.
var Dialect = sqlstore.Dialect{Name: "postgres", Numbered: true}

// Open connects to the database at url (postgres://...).
func Open(url string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	return sqlstore.New(db, Dialect, opts...), nil
}
