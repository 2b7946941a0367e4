"""Exceptions that the command line turns into one clear line and an exit code."""

from __future__ import annotations


class PlanbookError(Exception):
    """Base class: an error whose message is meant for the user, on one line."""

    exit_code = 2


class InputError(PlanbookError):
    """Bad input from the user (chapter, parameter, scenario): exit code 2."""

    exit_code = 2


class DataFileError(PlanbookError):
    """A data file under ``data/`` is missing, unreadable or breaks its schema."""

    exit_code = 2


class ExecutionError(PlanbookError):
    """A chapter notebook raised while it ran: exit code 1."""

    exit_code = 1
