"""``novelty synth``: synthetic base/RL traces with known novel strategies, and their truth."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from novelty.cli.options import Seed

__all__ = ["synth"]


def synth(
    out: Annotated[
        Path,
        typer.Argument(help="Where to write the traces (.jsonl or .jsonl.gz).", dir_okay=False),
    ],
    truth: Annotated[
        Path | None,
        typer.Option(help="Where to write the ground truth (default: OUT with .truth.jsonl)."),
    ] = None,
    problems: Annotated[int, typer.Option(min=1, help="Number of problems.")] = 12,
    n_base: Annotated[int, typer.Option("--base", min=2, help="Base samples per problem.")] = 64,
    n_rl: Annotated[int, typer.Option("--rl", min=1, help="RL samples per problem.")] = 64,
    scenarios: Annotated[
        str,
        typer.Option(
            help="RL scenarios cycled over problems: novel, reweight, restyle, rare (commas).",
            metavar="NAME,...",
        ),
    ] = "novel,reweight,restyle,rare",
    prevalence: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Share of RL samples on a novel method.")
    ] = 0.3,
    restyle: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Probability an RL trace is restyled.")
    ] = 0.5,
    seed: Seed = 0,
) -> None:
    """Write synthetic base/RL traces with known novel strategies, and their ground truth."""
    from novelty.atomic import probe_writable_dir
    from novelty.cli.scan import writable_problem
    from novelty.datasets.synth import generate, write_jsonl

    truth = truth or out.with_name(out.name.split(".")[0] + ".truth.jsonl")
    for flag, path in (("OUT", out), ("--truth", truth)):
        try:  # before generating: a path that cannot be written is a usage error
            probe_writable_dir(path.parent)
        except OSError as err:
            raise typer.BadParameter(
                writable_problem(err, path.parent), param_hint=f"'{flag}'"
            ) from None
    names = [s.strip() for s in scenarios.split(",") if s.strip()]
    records, gt = generate(
        n_problems=problems,
        n_base=n_base,
        n_rl=n_rl,
        scenarios=names,
        prevalence=prevalence,
        restyle=restyle,
        seed=seed,
    )
    write_jsonl(records, out)
    write_jsonl(gt, truth)
    n_novel = sum(g["novel"] for g in gt)
    typer.echo(f"wrote {len(records)} traces to {out} ({n_novel} novel) and truth to {truth}")
