"""`lazycc-bench projects` plumbing without building anything: project lookup in a corpus, skip
messages, the generated benchmark input."""
import hashlib

from lazycc.bench import cli, projects


def test_known_projects():
    assert set(projects.PROJECTS) >= {"zlib", "lz4", "sqlite3", "cjson", "libevent"}


def test_missing_projects_are_skipped(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    rc = cli.main(["projects", "--configs", "clang", "--projects", "zlib,nope",
                   "--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path / "out")])
    assert rc == 2
    err = capsys.readouterr().err
    assert "skipping project 'zlib': no tree in" in err
    assert "skipping project 'nope': unknown" in err
    assert "no project available" in err


def test_find_tree_accepts_corpus_layouts(tmp_path):
    src = tmp_path / "src" / "zlib-1.2.13.dfsg"
    src.mkdir(parents=True)
    (src / "configure").write_text("")
    assert projects.find_tree(str(tmp_path), projects.PROJECTS["zlib"]) == str(src)
    (tmp_path / "zlib").symlink_to(src)
    assert projects.find_tree(str(tmp_path), projects.PROJECTS["zlib"]) == str(src)


def test_generated_input_is_fixed(tmp_path):
    p = projects.gen_input(str(tmp_path / "in.txt"), 1 << 16)
    data = open(p, "rb").read()
    assert len(data) == 1 << 16
    q = projects.gen_input(str(tmp_path / "again.txt"), 1 << 16)
    assert hashlib.md5(open(q, "rb").read()).digest() == hashlib.md5(data).digest()
