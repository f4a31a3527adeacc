"""The benchmark's generator writes every column of the tables it fills.

It loads rows with COPY, bypassing the ORM; a model field it does not know about would make
it fail at the start of a long run, so a changed model must fail here first.
"""

from bench.rows import columns_for
from bench.synth import EVENT_COLUMNS, PROBLEM_COLUMNS
from ducha.problems.models import Problem, ProblemEvent


def test_generator_columns_match_the_models():
    assert len(columns_for(Problem, PROBLEM_COLUMNS)) == len(Problem._meta.concrete_fields)
    assert len(columns_for(ProblemEvent, EVENT_COLUMNS)) == len(ProblemEvent._meta.concrete_fields)
