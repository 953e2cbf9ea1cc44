"""``diagwizard set-names``: the FAQ 10 friendly-name fix; an alias of
``diagwizard fix store.names`` kept for the people and scripts that know it."""

from __future__ import annotations

import argparse

from diagwizard.core import config
from diagwizard.core.i18n import resolve_lang
from diagwizard.core.model import Platform
from diagwizard.core.words.terminal import NAMES_WINDOWS_ONLY
from diagwizard.system import adapters
from diagwizard.ui.cli.fix import cmd_fix


def cmd_set_names(args: argparse.Namespace) -> int:
    if adapters.system_name() != Platform.WINDOWS:
        lang = resolve_lang(args.lang, config.load(args.config).lang)
        print(NAMES_WINDOWS_ONLY.get(lang))
        return 2
    args.ids, args.dry_run, args.undo = ["store.names"], False, False
    return cmd_fix(args)
