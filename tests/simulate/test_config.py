"""The crowd file and the ground-truth TSV: what they set, and a clear error for each kind of bad input."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kvorum.cli import app
from kvorum.simulate import ConfigError
from kvorum.simulate.config import merged, parse, read
from kvorum.simulate.truth import generate, read_tsv

CROWD_FILE = """\
seed = 7

[crowd]
workers = 40
prefix = "crowd"

[crowd.random_spammer]
share = 0.25
seconds_per_task = [1, 2]

[crowd.mediocre]
share = 0.5
accuracy = [0.6, 0.7]

[crowd.honest]
accuracy = 0.9

[truth]
tsv = "truth.tsv"

[run]
max_assignments = 500
max_seconds = 30
overlap = 2
tasks_per_suite = 4
reward = 0.02
"""


def test_a_crowd_file_sets_the_crowd_the_truth_and_the_run(tmp_path: Path) -> None:
    (tmp_path / "crowd.toml").write_text(CROWD_FILE)
    (tmp_path / "truth.tsv").write_text("text\tlabel\nfirst\tcat\nsecond\tdog\n")
    config = parse(read(tmp_path / "crowd.toml"))
    simulation = config.simulation
    assert simulation.seed == 7
    assert simulation.crowd.counts() == {
        "random_spammer": 10,
        "mediocre": 20,
        "honest": 10,
        "constant_spammer": 0,
        "adversarial": 0,
        "fast_clicker": 0,
        "abandoning": 0,
    }
    assert simulation.crowd.group("random_spammer").seconds_per_task == (1.0, 2.0)
    assert simulation.crowd.group("honest").accuracy == (0.9, 0.9)
    assert (simulation.max_assignments, simulation.max_seconds) == (500, 30.0)
    assert (simulation.setup.overlap, simulation.setup.tasks_per_suite, str(simulation.setup.reward)) == (
        2,
        4,
        "0.02",
    )
    truth = config.truth.load(simulation.seed)
    assert truth.labels == ("cat", "dog")
    assert truth.label_of({"text": "second"}) == "dog"


def test_flags_override_the_file_table_by_table() -> None:
    document = {"crowd": {"workers": 10, "mediocre": {"share": 0.5, "accuracy": [0.6, 0.7]}}}
    config = parse(merged(document, {"crowd": {"mediocre": {"share": 0.2}}, "truth": {"tasks": 9}}))
    assert config.simulation.crowd.group("mediocre").share == 0.2
    assert config.simulation.crowd.group("mediocre").accuracy == (0.6, 0.7)
    assert len(config.truth.load(1).items) == 9


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"crowd": {"workers": 0}}, "crowd.workers: expected a whole number from 1"),
        ({"crowd": {"workers": "ten"}}, "crowd.workers: expected a whole number"),
        ({"crowd": {"spammer": {"share": 0.1}}}, "crowd.spammer: unknown key"),
        ({"crowd": {"mediocre": {"share": 1.5}}}, "crowd.mediocre.share: expected a number from 0 to 1"),
        ({"crowd": {"mediocre": {"accuracy": [0.9, 0.6]}}}, "crowd.mediocre.accuracy: expected [low, high]"),
        ({"crowd": {"mediocre": {"accuracy": [0.6]}}}, "crowd.mediocre.accuracy"),
        ({"crowd": {"mediocre": {"accuracy": True}}}, "crowd.mediocre.accuracy"),
        ({"crowd": {"mediocre": {"colour": 1}}}, "crowd.mediocre.colour: unknown key"),
        ({"crowd": {"honest": {"share": 0.5}}}, "crowd.honest.share: honest workers are the rest"),
        ({"crowd": {"mediocre": {"share": 0.6}, "adversarial": {"share": 0.6}}}, "the shares add up to 1.2"),
        ({"crowd": {"mediocre": 3}}, "crowd.mediocre: expected a table"),
        ({"truth": {"tsv": "x.tsv", "classes": 3}}, "truth: give either tsv or classes"),
        ({"truth": {"classes": 1}}, "truth.classes: expected a whole number from 2 to 100"),
        ({"run": {"max_seconds": 0}}, "run.max_seconds"),
        ({"run": {"pools": "12"}}, "run.pools: a list of pool ids"),
        ({"run": {"url": "http://example.com"}}, "run.url: unknown key"),
        ({"colour": "red"}, "colour: unknown key"),
    ],
)
def test_bad_crowd_documents_name_the_key_at_fault(document: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(document)
    assert message in str(raised.value)


def test_a_file_that_is_not_toml_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "crowd.toml"
    path.write_text("[crowd\nworkers = 3\n")
    with pytest.raises(ConfigError, match=r"crowd\.toml: not valid TOML"):
        read(path)
    with pytest.raises(ConfigError, match="cannot read it"):
        read(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "needs a header row and at least one item"),
        ("text\tclass\na\tb\n", "no 'label' column"),
        ("text\tlabel\na\tx\nb\n", "truth.tsv:3: 1 columns, the header has 2"),
        ("text\tlabel\na\t\n", "truth.tsv:2: the label is empty"),
        ("text\tlabel\na\tx\nb\tx\n", "at least two classes"),
        ("text\tlabel\na\tx\na\ty\n", "two items have the same input values"),
        ("label\nx\ny\n", "an input column"),
    ],
)
def test_bad_ground_truth_files_say_what_and_where(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "truth.tsv"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        read_tsv(path)
    assert message in str(raised.value)


def test_generated_truth_is_the_same_for_a_seed_and_uses_every_class() -> None:
    truth = generate(classes=3, tasks=300, seed=4)
    assert truth == generate(classes=3, tasks=300, seed=4)
    assert truth != generate(classes=3, tasks=300, seed=5)
    assert truth.labels == ("class-1", "class-2", "class-3")
    assert {item.label for item in truth.items} == set(truth.labels)
    assert truth.label_of({"text": "item-00300"}) == truth.items[-1].label


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--config", "{dir}/crowd.toml"], "not valid TOML"),
        (["--mediocre", "0.7", "--spammers", "0.7"], "the shares add up to 1.4"),
        (["--url", "ftp://127.0.0.1"], "is not an http(s) URL"),
        (["--truth", "{dir}/missing.tsv"], "cannot read the ground truth"),
    ],
)
def test_the_command_prints_a_clear_error_and_no_traceback(
    tmp_path: Path, arguments: list[str], message: str
) -> None:
    (tmp_path / "crowd.toml").write_text("workers = [\n")
    database_url = f"sqlite:///{tmp_path / 'kvorum.db'}"
    given = [argument.replace("{dir}", str(tmp_path)) for argument in arguments]
    result = CliRunner().invoke(app, ["simulate", *given, "--database-url", database_url])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
