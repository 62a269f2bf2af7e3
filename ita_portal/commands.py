"""The project's management commands speak Thai, argument errors included."""

from __future__ import annotations

import argparse
import re

from django.core.management.base import BaseCommand, CommandError, CommandParser

from .thai import parse_int

# argparse's own messages (English, from the standard library) and what a Thai user reads instead.
_ARGPARSE = [
    (re.compile(r"^the following arguments are required: (.+)$"), "ต้องระบุ {0}"),
    (re.compile(r"^argument (\S+): invalid int value: '(.*)'$"), "{0} ต้องเป็นจำนวนเต็ม แต่ได้รับ “{1}”"),
    (
        re.compile(r"^argument (\S+): invalid choice: '(.*)' \(choose from (.+)\)$"),
        "{0} ไม่มีค่า “{1}” (ใช้ได้: {2})",
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), "{0} ต้องตามด้วยค่า"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "ไม่รู้จัก {0}"),
    # A value our own types refused (``bounded``): their message is Thai already.
    (re.compile(r"^argument (\S+): ((?=.*[\u0e00-\u0e7f]).+)$"), "{0} {1}"),
]


def bounded(low: int, high: int):
    """An argument type: a whole number from ``low`` to ``high`` (Thai digits accepted), or an
    argparse error in Thai; so ``--days 1000000`` is refused instead of crashing the command."""

    def parse(value: str) -> int:
        number = parse_int(value, low=low, high=high)
        if number is None:
            raise argparse.ArgumentTypeError(f"ต้องเป็นจำนวนเต็มตั้งแต่ {low:,} ถึง {high:,} (ได้รับ “{value}”)")
        return number

    return parse


class ThaiCommandParser(CommandParser):
    """Argument errors in Thai: one line on standard error and exit status 2, as argparse does."""

    def error(self, message):
        for pattern, thai in _ARGPARSE:
            match = pattern.match(message)
            if match:
                message = thai.format(*match.groups())
                break
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: {message} (ดูวิธีใช้: {self.prog} --help)\n")
        raise CommandError(message)


class ThaiCommand(BaseCommand):
    """A management command whose argument errors are in Thai."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = ThaiCommandParser  # same parser, Thai errors
        return parser
