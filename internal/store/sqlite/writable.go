package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckFolderWritable says, before SQLite is asked, that the folder of
// the database at path does not take new files. SQLite keeps its journal,
// WAL and lock files there, and for a read-only folder only says "unable
// to open database file (14)".
func CheckFolderWritable(path string) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, ".dashboard-skrivtest-*")
	if err != nil {
		return fmt.Errorf("katalogen %s går inte att skriva i, så databasen %s kan inte användas (SQLite skapar sina journalfiler där): %w", dir, filepath.Base(path), err)
	}
	_ = f.Close()
	_ = os.Remove(f.Name())
	return nil
}

// CheckFileWritable says that an existing database file cannot be opened
// for writing. SQLite opens such a file read-only without a word and fails
// at the first write, so a server would start and fail every login.
func CheckFileWritable(path string) error {
	fh, err := os.OpenFile(path, os.O_RDWR, 0)
	switch {
	case err == nil:
		return fh.Close()
	case errors.Is(err, fs.ErrNotExist):
		return nil
	default:
		return fmt.Errorf("databasfilen %s är skrivskyddad och kan inte användas: %w", path, err)
	}
}
