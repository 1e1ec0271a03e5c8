"""The binding follows the headers: the generated codes are current, every
SLUICE_API function of sluice.h and sluice_mock.h is declared with matching
return and argument types, the record/header structs match field by field,
and the library's code names agree. A header change the binding did not
follow fails here."""
from __future__ import annotations

import importlib.util
import re
from ctypes import (
    POINTER,
    c_char_p,
    c_int16,
    c_int32,
    c_int64,
    c_uint32,
    c_uint64,
    c_void_p,
)
from typing import Any, Dict, List, Set, Tuple

import pytest

import sluice
from sluice import _codes, _ffi
from sluice._ffi import DECLARATIONS, HANDLER_FN, HeaderStruct, RecordStruct

from conftest import BINDING, HEADER_DIR

HEADERS = [HEADER_DIR / "sluice.h", HEADER_DIR / "sluice_mock.h"]


def _strip(text: str) -> str:
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    # Preprocessor lines, with their continuations.
    text = re.sub(r"^[ \t]*#(?:[^\n]*\\\n)*[^\n]*", " ", text, flags=re.M)
    return text


def _all_text() -> str:
    return "\n".join(_strip(h.read_text(encoding="utf-8")) for h in HEADERS)


def _split_decl(decl: str) -> Tuple[str, str]:
    """'const sluice_conf_t *conf' -> ('const sluice_conf_t *', 'conf')."""
    m = re.match(r"^(.*?)(\w+)\s*$", decl.strip(), flags=re.S)
    assert m, decl
    return " ".join(m.group(1).split()), m.group(2)


def parse_prototypes() -> Dict[str, Tuple[str, List[str]]]:
    protos: Dict[str, Tuple[str, List[str]]] = {}
    for m in re.finditer(r"\bSLUICE_API\s+([^;{}()]*?)\(([^;{}]*?)\)\s*;", _all_text()):
        ret, name = _split_decl(m.group(1))
        params = m.group(2).strip()
        args = [] if params in ("void", "") else [_split_decl(p)[0] for p in params.split(",")]
        protos[name] = (ret, args)
    return protos


def opaque_types() -> Set[str]:
    return set(re.findall(r"typedef\s+struct\s+\w+\s+(\w+)\s*;", _all_text()))


SCALARS: Dict[str, Any] = {
    "void": None,
    "int16_t": c_int16,
    "int32_t": c_int32,
    "uint32_t": c_uint32,
    "int64_t": c_int64,
    "uint64_t": c_uint64,
    "sluice_code_t": c_int32,
    "sluice_handler_fn": HANDLER_FN,
}
STRUCTS = {"sluice_record_t": RecordStruct, "sluice_header_t": HeaderStruct}


def expected_ctype(ctype: str, opaque: Set[str], in_struct: bool = False) -> Any:
    """The ctypes type the binding must use for a C type."""
    base = " ".join(ctype.replace("const", " ").replace("*", " ").split())
    stars = ctype.count("*")
    if stars == 0:
        return SCALARS[base]
    if stars == 1:
        if base in ("char", "uint8_t"):  # strings/bytes in; in structs raw addresses
            return c_void_p if in_struct else c_char_p
        if base in STRUCTS:
            return POINTER(STRUCTS[base])
        if base == "void" or base in opaque:
            return c_void_p
        return POINTER(SCALARS[base])
    if stars == 2:
        if base in STRUCTS:
            return POINTER(POINTER(STRUCTS[base]))
        if base in ("char", "uint8_t") or base in opaque:  # out-pointers read as addresses
            return POINTER(c_void_p)
    raise AssertionError(f"no ctypes mapping for C type {ctype!r}: extend the binding")


def test_headers_parse() -> None:
    protos = parse_prototypes()
    assert len(protos) >= 45, sorted(protos)
    assert protos["sluice_engine_poll"] == (
        "sluice_error_t *", ["sluice_engine_t *", "int32_t", "sluice_batch_t **"])


def test_every_header_function_is_declared() -> None:
    missing = sorted(set(parse_prototypes()) - set(DECLARATIONS))
    assert not missing, f"declared in the headers but not in sluice/_ffi.py: {missing}"


def test_no_declaration_without_header_function() -> None:
    extra = sorted(set(DECLARATIONS) - set(parse_prototypes()))
    assert not extra, f"declared in sluice/_ffi.py but gone from the headers: {extra}"


@pytest.mark.parametrize("name", sorted(parse_prototypes()))
def test_declaration_matches_prototype(name: str) -> None:
    ret, args = parse_prototypes()[name]
    opaque = opaque_types()
    restype, argtypes = DECLARATIONS[name]
    assert len(argtypes) == len(args), f"{name}: {len(args)} arguments in the header"
    assert restype is expected_ctype(ret, opaque), f"{name}: return type {ret!r}"
    for i, (c, py) in enumerate(zip(args, argtypes)):
        assert py is expected_ctype(c, opaque), f"{name}: argument {i} is {c!r}"
    fn = getattr(_ffi.lib, name)
    assert fn.restype is restype and list(fn.argtypes) == list(argtypes)


def test_handler_typedef_matches() -> None:
    m = re.search(r"typedef\s+(\w+)\s*\(\s*\*\s*sluice_handler_fn\s*\)\s*\(([^)]*)\)\s*;",
                  _all_text())
    assert m
    opaque = opaque_types()
    params = [_split_decl(p)[0] for p in m.group(2).split(",")]
    assert HANDLER_FN._restype_ is expected_ctype(m.group(1), opaque)  # type: ignore[attr-defined]
    assert list(HANDLER_FN._argtypes_) == [  # type: ignore[attr-defined]
        expected_ctype(p, opaque) for p in params]


@pytest.mark.parametrize("c_name,struct", [("sluice_record", RecordStruct),
                                           ("sluice_header", HeaderStruct)])
def test_struct_layout_matches(c_name: str, struct: Any) -> None:
    m = re.search(r"typedef\s+struct\s+" + c_name + r"\s*\{(.*?)\}\s*" + c_name + r"_t\s*;",
                  _all_text(), flags=re.S)
    assert m, c_name
    fields = [_split_decl(f) for f in m.group(1).split(";") if f.strip()]
    opaque = opaque_types()
    assert [n for _, n in fields] == [f[0] for f in struct._fields_]
    for (ctype, fname), (pyname, pytype) in zip(fields, struct._fields_):
        assert pytype is expected_ctype(ctype, opaque, in_struct=True), f"{c_name}.{fname}"


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("gen_errors", BINDING / "tools" / "gen_errors.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_generated_codes_are_current() -> None:
    gen = _load_generator()
    want = gen.render((HEADER_DIR / "sluice.h").read_text(encoding="utf-8"))
    have = (BINDING / "src" / "sluice" / "_codes.py").read_text(encoding="utf-8")
    assert have == want, ("src/sluice/_codes.py is stale: run "
                          "python3 bindings/python/tools/gen_errors.py and commit the result")
    # The installed package carries the same file.
    assert (open(_codes.__file__, encoding="utf-8").read() == want), (
        f"the installed {_codes.__file__} differs from the generator's output: reinstall")


def test_code_names_agree_with_the_library() -> None:
    for code, cls in _codes.ERROR_CLASSES.items():
        assert _ffi.lib.sluice_code_name(code).decode() == cls.CODE_NAME
        assert issubclass(cls, sluice.Error)
        assert getattr(sluice, cls.__name__) is cls
    # The library knows no code the header does not list.
    beyond = max(_codes.ERROR_CLASSES) + 1
    assert _ffi.lib.sluice_code_name(beyond) == b"SLUICE_ERR_UNKNOWN"


def test_exception_names_do_not_shadow_builtins() -> None:
    import builtins

    for cls in _codes.ERROR_CLASSES.values():
        assert not hasattr(builtins, cls.__name__), cls.__name__
    assert sluice.SluiceTimeoutError.CODE == _codes.ERR_TIMEOUT
    assert sluice.UnknownKeyError.CODE_NAME == "SLUICE_ERR_UNKNOWN_KEY"


def test_version() -> None:
    assert sluice.library_version().split(".")[0] == str(_codes.VERSION_MAJOR)
    assert _ffi.lib.sluice_version_number() // 10000 == _codes.VERSION_MAJOR
