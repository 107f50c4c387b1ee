"""What the CSV checkers of make check share (sketch_check.py,
reps_rows_check.py): a whole CSV file as its header and rows, and a
failure counter that prints the first ten."""
import csv


def table(path):
    with open(path, newline='') as f:
        r = list(csv.reader(f))
    return r[0], r[1:]


class Failures:
    def __init__(self):
        self.n = 0

    def __call__(self, msg):
        self.n += 1
        if self.n <= 10:
            print('FAIL: ' + msg)
