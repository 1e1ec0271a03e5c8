package sluice

/*
#cgo pkg-config: sluice
#include "glue.h"
*/
import "C"

import (
	"fmt"
	"strings"
)

// Code is a sluice error code (sluice_code_t). The constants are generated
// from sluice.h into codes_generated.go.
type Code int32

// String returns the code's C name, e.g. "SLUICE_ERR_UNKNOWN_KEY", or
// "SLUICE_ERR_UNKNOWN(n)" for a number this binding does not know (a newer
// library).
func (c Code) String() string {
	if n, ok := codeNames[c]; ok {
		return n
	}
	return fmt.Sprintf("SLUICE_ERR_UNKNOWN(%d)", int32(c))
}

// Error is an error reported by libsluice (a sluice_error_t, copied into Go
// memory), or by this binding with the same codes.
type Error struct {
	Code      Code
	Message   string
	Key       string // the configuration key the error is about, or ""
	Path      string // for pattern errors: a JSON path into the pattern, or ""
	Offset    int64  // for pattern and value errors: byte offset in the value, or -1
	Retriable bool   // retrying the same call later may succeed
}

// Error formats the error as "sluice: NAME: message (key ..., path ..., offset ...)".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("sluice: ")
	b.WriteString(e.Code.String())
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	var extra []string
	if e.Key != "" {
		extra = append(extra, fmt.Sprintf("key %q", e.Key))
	}
	if e.Path != "" {
		extra = append(extra, "path "+e.Path)
	}
	if e.Offset >= 0 {
		extra = append(extra, fmt.Sprintf("offset %d", e.Offset))
	}
	if len(extra) > 0 {
		b.WriteString(" (")
		b.WriteString(strings.Join(extra, ", "))
		b.WriteString(")")
	}
	return b.String()
}

// Is reports whether target is an *Error with the same Code: so
// errors.Is(err, sluice.ErrStopped) holds for every SLUICE_ERR_STOPPED error.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t != nil && e != nil && t.Code == e.Code
}

// Sentinel returns the sentinel error of code c (ErrUnknownKey for
// CodeUnknownKey, ...), or nil for a code this binding does not know.
func Sentinel(c Code) error {
	if s, ok := sentinels[c]; ok {
		return s
	}
	return nil
}

// takeError converts a C error into an *Error and frees the C error. nil maps
// to nil (success). The result is typed error so that success is a true nil.
func takeError(cerr *C.sluice_error_t) error {
	if cerr == nil {
		return nil
	}
	var info C.gosluice_error_info_t
	C.gosluice_error_read(cerr, &info)
	e := &Error{
		Code:      Code(info.code),
		Message:   C.GoString(info.message),
		Key:       C.GoString(info.key),
		Path:      C.GoString(info.path),
		Offset:    int64(info.offset),
		Retriable: info.retriable != 0,
	}
	C.sluice_error_destroy(cerr)
	return e
}

// newError builds an error raised by the binding itself.
func newError(c Code, format string, args ...any) error {
	return &Error{Code: c, Message: fmt.Sprintf(format, args...), Offset: -1}
}

// Version returns the library's version string ("MAJOR.MINOR.PATCH") as
// reported at run time by the loaded libsluice.
func Version() string { return C.GoString(C.sluice_version_string()) }

// VersionNumber returns MAJOR*10000 + MINOR*100 + PATCH of the loaded libsluice.
func VersionNumber() uint32 { return uint32(C.sluice_version_number()) }

// HeaderVersionNumber is SLUICE_VERSION_NUMBER of the sluice.h this package
// was compiled against.
const HeaderVersionNumber = uint32(C.SLUICE_VERSION_NUMBER)

// libraryCodeName asks the loaded library for a code's name
// (sluice_code_name); the tests compare it with the generated names.
func libraryCodeName(c Code) string { return C.GoString(C.sluice_code_name(C.sluice_code_t(c))) }
