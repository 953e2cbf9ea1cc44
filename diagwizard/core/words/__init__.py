"""The one catalogue of interface words: every string a view shows (the terminal, reports,
``decode``, the wizard, helpdesk mode), in zh-TW and English side by side.

gettext-style, with keys the type checker sees: each word is a module constant holding a
:class:`~diagwizard.core.text.Text`, read with ``Text.get(lang, **params)``
(``fixes.CONFIRM.get(lang, title=...)``). The modules split the catalogue by who shows the
words, so the wizard's first screen loads only what it shows:

- :mod:`.common`: words several views show in the same form (helpline, case code);
- :mod:`.keylabels`: the footer labels of key bindings (the wizard and its dialogs);
- :mod:`.wizard`: the wizard's and helpdesk mode's screens;
- :mod:`.terminal`: the command line (``check``, ``decode``, ``kb``, ``probes``, errors);
- :mod:`.pintest`: ``pin-test``;
- :mod:`.fixes`: 「幫我修好」, in the terminal and the wizard;
- :mod:`.reports`: the Markdown and HTML reports;
- :mod:`.facts`: a probe's facts in words (the wizard's detail pane, ``check --verbose``);
- :mod:`.records`: statuses, areas, skip reasons, re-check verdicts (what every view shows
  of a run's records);
- :mod:`.errors`: the one-line errors a person acts on (config, case code, fix log).

What is not here: finding messages (``FindingDef`` constants beside their probe: what a
probe found is part of its declaration) and the knowledge base (``kb/``).
``tests/test_words.py`` checks that every entry has both languages with the same
``{placeholders}``.

This package imports nothing but :mod:`diagwizard.core.text`; keep it that way (start-up).
"""
