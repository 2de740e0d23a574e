"""The package's shape: one package per stage, each naming its public function, and a cheap `import extractor`."""
import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"

STAGES = {  # package -> the public names its __init__ gives (README, "How it works")
    "extractor.fetch": ["fetch", "FetchSettings", "FetchResult", "AsyncFetcher"],
    "extractor.parse": ["parse_html"],
    "extractor.extract": ["extract", "Result"],
    "extractor.validate": ["validate"],
    "extractor.store": ["Store", "run_batch", "export"],
    "extractor.cli": ["app", "main"],
}


def test_importing_the_package_loads_no_heavy_library():
    code = ("import sys, extractor; "
            "print(' '.join(m for m in ('bs4', 'lxml', 'httpx', 'spacy', 'yaml', 'rich', 'typer') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_the_library_api_is_reachable_from_the_top():
    import extractor

    assert callable(extractor.extract_text) and callable(extractor.extract_html) and callable(extractor.extract_url)


@pytest.mark.parametrize("package, names", STAGES.items())
def test_each_stage_package_names_its_public_surface(package, names):
    module = importlib.import_module(package)
    assert module.__doc__ and len(module.__doc__.strip()) > 40, f"{package} needs a docstring: what comes in, what goes out"
    for name in names:
        assert hasattr(module, name), f"{package} does not export {name}"


def test_no_module_is_much_over_four_hundred_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450}
    assert not long


def test_the_editable_tree_holds_no_compiled_module_beside_the_sources():
    # compiled modules are built only into wheels (setup.py): a stale one would shadow an edited source
    import extractor

    if extractor.compiled():
        pytest.skip("installed from a compiled wheel")
    assert not list(PACKAGE.rglob("*.so"))


def _code_strings(path: Path) -> set[str]:
    """The string literals of a module's code: docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return {node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs}


def test_the_extract_stage_compares_no_institution_label_or_code_as_a_string():
    """Institutions, program codes and labels live in patterns/ and labels.Label: adding an institution is a
    change to the rule data, and a misspelt label is an error on import, not a rule that silently never fires."""
    from extractor.extract.labels import ALL_LABELS
    from extractor.extract.lexicon import lexicon, program_codes
    from extractor.extract.lexicon_schema import SEGMENTS

    lex = lexicon()
    forbidden = set(ALL_LABELS) | program_codes().all | set(lex.section("institutions")) | SEGMENTS
    # labels.py names the labels; lexicon_schema.py holds the contract's closed lists it validates against
    exempt = {"labels.py", "lexicon_schema.py"}
    found = {f"{path.name}: {s!r}" for path in sorted((PACKAGE / "extract").glob("*.py"))
             if path.name not in exempt for s in _code_strings(path) & forbidden}
    assert not found, sorted(found)
