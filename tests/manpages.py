#!/usr/bin/env python3
"""The man pages (man/*.1, mdoc) pass `mandoc -Tlint` and say what the
programs' help says: every option of `vmnetrank help COMMAND` (and of
`vmnetrank-collect --help`) appears in the page's OPTIONS with the same
short name, argument and sentence, the page has no option the help
lacks, its synopsis names only real options, its NAME line is the help's
summary, and vmnetrank.1 lists exactly the commands `vmnetrank help`
lists.

    python3 tests/manpages.py VMNETRANK VMNETRANK-COLLECT
"""
import os
import re
import subprocess
import sys

V, C = sys.argv[1], sys.argv[2]
HERE = os.path.dirname(os.path.abspath(__file__))
MAN = os.path.join(HERE, '..', 'man')
passed = failed = 0


def check(what, ok, detail=''):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print('FAIL: %s%s' % (what, (': ' + detail) if detail else ''))


def run(argv):
    return subprocess.run(argv, capture_output=True, text=True)


def help_options(text):
    """{long: (short, arg, sentence)} from a help text's option lines."""
    out = {}
    cur = None
    for line in text.split('\n'):
        m = re.match(r'^  (?:-(\w), |    )--([\w-]+)(?: (\S+))?(?:\s+(.*))?$', line)
        if m:
            cur = m.group(2)
            out[cur] = [m.group(1), m.group(3), (m.group(4) or '').strip()]
            continue
        if cur and re.match(r'^ {20,}\S', line):
            out[cur][2] = (out[cur][2] + ' ' + line.strip()).strip()
        else:
            cur = None
    return {k: tuple(v) for k, v in out.items()}


def unescape(s):
    return s.replace('\\-', '-').replace('\\e', '\\').replace('\\&', '')


def sections(src):
    """{section name: [lines]} of an mdoc source."""
    secs, name = {}, None
    for line in src.split('\n'):
        if line.startswith('.Sh '):
            name = line[4:].strip()
            secs[name] = []
        elif name:
            secs[name].append(line)
    return secs


def man_options(lines):
    """{long: (short, arg, sentence)} from the .It Fl items of OPTIONS."""
    out, cur = {}, None
    for line in lines:
        m = re.match(r'^\.It (?:Fl (\w) , )?Fl \\-([\w-]+)(?: Ar (.+))?$', line)
        if m:
            cur = m.group(2)
            out[cur] = [m.group(1), m.group(3), '']
        elif line.startswith('.It') or line.startswith('.El'):
            cur = None
        elif cur and not line.startswith('.'):
            out[cur][2] = (out[cur][2] + ' ' + unescape(line)).strip()
    return {k: tuple(v) for k, v in out.items()}


def sentence(s):
    """The help's sentence as the page writes it: capital, full stop."""
    if not s:
        return s
    s = s[0].upper() + s[1:]
    return s if s.endswith('.') else s + '.'


def compare_page(page, helptext, summary):
    path = os.path.join(MAN, page)
    src = open(path).read()
    r = run(['mandoc', '-Tlint', '-W', 'warning', path])
    check('%s: mandoc -Tlint is clean' % page,
          r.returncode == 0 and not r.stdout.strip() and not r.stderr.strip(),
          (r.stdout + r.stderr).strip())
    secs = sections(src)
    hopts = help_options(helptext)
    mopts = man_options(secs.get('OPTIONS', []))
    check('%s: the help has options' % page, len(hopts) > 0)
    check('%s: no option of the help is missing' % page,
          not set(hopts) - set(mopts), ' '.join(sorted(set(hopts) - set(mopts))))
    check('%s: no option the help lacks' % page,
          not set(mopts) - set(hopts), ' '.join(sorted(set(mopts) - set(hopts))))
    bad = [k for k in hopts if k in mopts and
           (hopts[k][0], hopts[k][1], sentence(hopts[k][2])) != mopts[k]]
    check('%s: every option has the help\'s short name, argument and '
          'sentence (%d options)' % (page, len(hopts)), not bad,
          '; '.join('%s: help %r, page %r' % (k, hopts[k], mopts[k]) for k in bad))
    syn = ' '.join(secs.get('SYNOPSIS', []))
    named = set(re.findall(r'Fl \\-([\w-]+)', syn))
    check('%s: the synopsis names only real options' % page,
          not named - set(hopts), ' '.join(sorted(named - set(hopts))))
    nd = [l[4:] for l in secs.get('NAME', []) if l.startswith('.Nd ')]
    if summary is not None:
        check('%s: its NAME line is the help\'s summary' % page,
              nd == [summary], 'page %r, help %r' % (nd, summary))


def summary_of(helptext):
    """The line after the usage lines: the command's one-line summary."""
    lines = helptext.split('\n')
    for i, line in enumerate(lines):
        if not line.strip() and i + 1 < len(lines) and lines[i + 1].strip():
            return lines[i + 1].strip()
    return None


top = run([V, 'help']).stdout
commands = re.findall(r'^  (\w+)\s{2,}(.*)$', top, re.M)
check('vmnetrank help lists commands', len(commands) >= 8)
for name, _ in commands:
    if name == 'help':
        continue
    h = run([V, 'help', name]).stdout
    compare_page('vmnetrank-%s.1' % name, h, summary_of(h))

src = open(os.path.join(MAN, 'vmnetrank.1')).read()
r = run(['mandoc', '-Tlint', '-W', 'warning', os.path.join(MAN, 'vmnetrank.1')])
check('vmnetrank.1: mandoc -Tlint is clean',
      r.returncode == 0 and not (r.stdout + r.stderr).strip(), (r.stdout + r.stderr).strip())
listed = re.findall(r'^\.It Cm (\w+)', '\n'.join(sections(src).get('COMMANDS', [])), re.M)
check('vmnetrank.1 lists exactly the commands of vmnetrank help',
      sorted(listed) == sorted(n for n, _ in commands),
      'page %s, help %s' % (sorted(listed), sorted(n for n, _ in commands)))
pages = sorted(f for f in os.listdir(MAN) if f.endswith('.1'))
want = sorted(['vmnetrank.1', 'vmnetrank-collect.1'] +
              ['vmnetrank-%s.1' % n for n, _ in commands if n != 'help'])
check('man/ holds a page for each program and command, and no other',
      pages == want, 'have %s, want %s' % (pages, want))

h = run([C, '--help']).stdout
compare_page('vmnetrank-collect.1', h, None)
# each mode's own help lists the same options as the page
for mode in re.findall(r'^  ([\w-]+)\s{2,}', h.split('Modes:')[1].split('Options:')[0], re.M):
    mh = run([C, mode, '--help']).stdout
    mo = set(help_options(mh))
    check('vmnetrank-collect %s --help: its options are the page\'s' % mode,
          mo == set(man_options(sections(open(os.path.join(MAN, 'vmnetrank-collect.1')).read())['OPTIONS'])),
          ' '.join(sorted(mo)))

print('manpages: %d passed, %d failed' % (passed, failed))
sys.exit(1 if failed else 0)
