"""Disclosure control: a count of fewer than 5 is never published, nor left to be worked out from the totals.

The tables here are case reviews by area (rows) and quarter (columns), as the dashboard
publishes them; a reader has the published table and a calculator.
"""

import itertools
import random

import pytest

from dashboard.disclosure import PRIMARY, SECONDARY, Withheld, protect, shown, unprotected

FEWER = Withheld(PRIMARY, 5)
WITHHELD = Withheld(SECONDARY, 5)


def hidden(value):
    return isinstance(value, Withheld)


def lines_of(table, *, row_totals=True, column_totals=True):
    """Every published line: (its cells, its total), as a reader would add them up."""
    lines = []
    width = len(table.cells[0]) if table.cells else 0
    if row_totals:
        lines += [(row, total) for row, total in zip(table.cells, table.row_totals)]
    if column_totals:
        lines += [([row[c] for row in table.cells], table.column_totals[c]) for c in range(width)]
    if row_totals and column_totals:
        lines.append((table.column_totals, table.grand_total))
        lines.append((table.row_totals, table.grand_total))
    return lines


def possible_values(members, total, *, threshold=5, limit=60):
    """For each hidden "fewer than 5" in a line with a published total: every value it could have.

    Found by trying every value: 1 to 4 for "fewer than 5", 5 and over for a hidden cell
    (a hidden total may be any positive number), and keeping the combinations that add up.
    """
    if hidden(total) or total is None:
        return {}
    known = sum(v for v in members if not hidden(v) and v is not None)
    slots = [v for v in members if hidden(v)]
    ranges = [range(1, threshold) if v.is_primary else range(threshold, limit) for v in slots]
    found = {i: set() for i, v in enumerate(slots) if v.is_primary}
    for combination in itertools.product(*ranges):
        if known + sum(combination) == total:
            for i in found:
                found[i].add(combination[i])
    return found


def assert_safe(table, threshold=5, **margins):
    """No line has a single hidden figure, and no "fewer than 5" can be pinned to one value."""
    for members, total in lines_of(table, **margins):
        entries = [*members, total]
        assert sum(hidden(v) for v in entries) != 1, f"one hidden figure in {entries}"
        for values in possible_values(members, total, threshold=threshold).values():
            assert len(values) >= 2, f"a hidden figure can be worked out in {entries}: {values}"


def test_a_table_without_small_counts_is_published_whole():
    table = protect([[6, 0], [12, 9]], threshold=5)
    assert table.cells == [[6, 0], [12, 9]]
    assert table.row_totals == [6, 21]
    assert table.column_totals == [18, 9]
    assert table.grand_total == 27
    assert not table.has_withheld


def test_a_count_of_1_to_4_is_shown_as_fewer_than_5():
    table = protect([[3], [7], [9]], threshold=5, row_totals=False, column_totals=False)
    assert table.cells == [[FEWER], [7], [9]]
    assert str(table.cells[0][0]) == "fewer than 5"
    assert table.has_primary


def test_the_next_smallest_count_is_withheld_so_the_small_one_cannot_be_subtracted_from_the_total():
    # Fife 3, Glasgow 7, Tayside 9: national 19. Shown alone, Fife's 3 would be 19 - 7 - 9.
    table = protect([[3], [7], [9]], threshold=5, row_totals=False)
    assert table.cells == [[FEWER], [WITHHELD], [9]]
    assert table.column_totals == [19]
    assert str(table.cells[1][0]) == "withheld"
    assert_safe(table, row_totals=False)


def test_zero_is_never_withheld_and_a_lone_small_count_takes_its_total_with_it():
    # Only Fife had a case review: hiding a 0 elsewhere would protect nothing, so the total goes.
    table = protect([[2], [0], [0]], threshold=5, row_totals=False)
    assert table.cells == [[FEWER], [0], [0]]
    assert table.column_totals == [WITHHELD]
    assert_safe(table, row_totals=False)


def test_two_small_counts_that_can_only_be_1_and_1_are_protected_further():
    # 1 + 1 + 9 = 11: "fewer than 5" twice, adding up to 2, could only be 1 each.
    table = protect([[1], [1], [9]], threshold=5, row_totals=False)
    assert table.cells[0][0] == FEWER and table.cells[1][0] == FEWER
    assert hidden(table.cells[2][0]) or hidden(table.column_totals[0])
    assert_safe(table, row_totals=False)


def test_a_small_count_and_a_withheld_one_that_can_only_add_up_one_way_are_protected_further():
    # 1 + 5 + 20 = 26: "fewer than 5" and "withheld" (5 or more) make 6, so they could only be 1 and 5.
    table = protect([[1], [5], [20]], threshold=5, row_totals=False)
    assert table.cells[0][0] == FEWER
    assert table.cells[1][0] == WITHHELD
    assert table.cells[2][0] == WITHHELD
    assert table.column_totals == [26]
    assert_safe(table, row_totals=False)


def test_with_row_and_column_totals_every_row_column_and_total_line_is_protected():
    values = [[3, 8, 10], [6, 7, 12], [9, 0, 11]]
    table = protect(values, threshold=5)
    assert table.cells[0][0] == FEWER
    # Its row and its column each lose their next smallest count, and the block closes on itself.
    assert hidden(table.cells[0][1]) and hidden(table.cells[1][0])
    assert hidden(table.cells[1][1])
    assert table.grand_total == 66
    assert_safe(table)


def test_a_withheld_total_is_itself_protected_in_the_line_of_totals():
    values = [[2, 0], [0, 0], [8, 9]]
    table = protect(values, threshold=5)
    assert table.cells[0][0] == FEWER
    assert_safe(table)


@pytest.mark.parametrize("seed", range(60))
def test_random_tables_never_give_a_small_count_away(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 5), rng.randint(1, 4)
    weights = [0] * 3 + [1, 2, 3, 4] * 2 + list(range(5, 16))
    values = [[rng.choice(weights) for _ in range(columns)] for _ in range(rows)]
    margins = rng.choice(
        [
            {"row_totals": True, "column_totals": True},
            {"row_totals": False, "column_totals": True},
            {"row_totals": True, "column_totals": False},
        ]
    )
    table = protect(values, threshold=5, **margins)
    for r, row in enumerate(values):
        for c, value in enumerate(row):
            published = table.cells[r][c]
            if 1 <= value <= 4:
                assert published == FEWER
            elif value == 0:
                assert published == 0
            else:
                assert published in (value, WITHHELD)
    assert_safe(table, **margins)


def test_the_threshold_is_configurable():
    table = protect([[2], [3], [9]], threshold=3, row_totals=False)
    assert table.cells[0][0] == Withheld(PRIMARY, 3)
    assert str(table.cells[0][0]) == "fewer than 3"
    assert table.cells[1][0] == Withheld(SECONDARY, 3)  # 3 is not small at this threshold, but it is the next
    assert_safe(table, threshold=3, row_totals=False)


def test_a_cell_with_no_figure_is_neither_counted_nor_withheld():
    # No approved return from Glasgow: nothing to show, nothing in the total.
    table = protect([[None], [8], [9]], threshold=5, row_totals=False)
    assert table.cells == [[None], [8], [9]]
    assert table.column_totals == [17]
    empty = protect([[None], [None]], threshold=5, row_totals=False)
    assert empty.column_totals == [None]


def test_a_table_with_no_rows_still_has_a_total_per_column():
    assert protect([], threshold=5, row_totals=False, columns=3).column_totals == [None, None, None]
    assert unprotected([], row_totals=False, columns=2).column_totals == [None, None]


def test_the_secretariat_sees_every_figure_with_the_same_totals():
    table = unprotected([[3, 1], [7, 0]])
    assert table.cells == [[3, 1], [7, 0]]
    assert table.row_totals == [4, 7]
    assert table.column_totals == [10, 1]
    assert table.grand_total == 11
    assert not table.has_withheld


def test_shown_gives_the_words_for_a_withheld_figure_and_the_number_otherwise():
    assert shown(FEWER) == "fewer than 5"
    assert shown(WITHHELD) == "withheld"
    assert shown(12) == 12


@pytest.mark.parametrize(
    "values, threshold, message",
    [
        ([[1, 2], [3]], 5, "same number of cells"),
        ([[-1]], 5, "cannot be negative"),
        ([[1]], 1, "protects nothing"),
    ],
)
def test_tables_that_make_no_sense_are_refused(values, threshold, message):
    with pytest.raises(ValueError, match=message):
        protect(values, threshold=threshold)
