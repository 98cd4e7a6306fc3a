#!/usr/bin/env python3
"""gen_lex.py - generate bot/kb/kb_lex_data.c from WordNet (Debian wordnet-base).

How often each English word was seen in WordNet's sense-tagged corpus (SemCor,
cntlist.rev), and what share of those it was a noun: a common verb or adverb
("take", "happen", "around") carries little of what a question asks, a noun
("canteen", "budget") or a rare or unknown word ("kpi") names its topic.  The answer engine
weighs a question word its KB does not know by this.  Only words seen at least
MIN_COUNT times are kept, as one sorted table (bsearch), so the bot maps a few
kilobytes of read-only data and reads no file at run time.

Irregular inflections ("held", "went", "children": WordNet's *.exc lists) are
kept as a second table pointing at their lemma's entry, for lemmas in the table.

Related words ("money": fund, wealth; "site": location, place; "speak": talk)
are a third table: for each word, the words of the same synsets, of the synsets
it derives from or to, of its direct hypernyms and, in a small family (at most
FAMILY hyponyms), of its siblings ("teamwork", "collaboration": cooperation),
over its commonest senses (at most SENSES of those SemCor tagged, else the
first); then the words naming it as such (the relation made symmetric), commonest
first; at most MAX_RELATED a word, all of them in the table.  The answer engine
credits a question word the KB lacks with a related word the KB has, below an
exact match.

usage: scripts/gen_lex.py [WORDNET_DIR] > bot/kb/kb_lex_data.c
"""
import collections
import io
import os
import subprocess
import sys

MIN_COUNT = 3
# Kinds of answer a question may want, as WordNet noun synsets whose hyponyms
# (not instances: those are real people and places) carry the class bit.
CLASSES = {
    1: ["00007846", "07942152", "07950920"],  # person, people, social group: "who"
    2: ["00027167", "04341686", "03315023"],  # location, structure, facility: "where"
}  # rarer words are left out: they are not light, nor shadow a light lemma
SENSES = 2
FAMILY = 12
MAX_RELATED = 12
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}


def related_words(wn, words, counts):
    """For each word of @words, its related words in @words (see the docstring)."""
    syn, ptr, senses = {}, {}, {}
    hypo = collections.defaultdict(list)
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, "data." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split(" | ")[0].split()
                key, nw = (pos, parts[0]), int(parts[3], 16)
                syn[key] = [parts[4 + 2 * i].lower().split("(")[0] for i in range(nw)]
                k = 4 + 2 * nw
                ptr[key] = [(parts[k + 1 + 4 * i],
                             (POS_FILES[parts[k + 3 + 4 * i]], parts[k + 2 + 4 * i]))
                            for i in range(int(parts[k]))]
                for sym, target in ptr[key]:
                    if sym == "@":
                        hypo[target].append(key)
        with open(os.path.join(wn, "index." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                p = line.split()
                nsyn, nptr = int(p[2]), int(p[3])
                offs = p[6 + nptr:6 + nptr + nsyn]
                take = max(1, min(int(p[5 + nptr]), SENSES))
                senses.setdefault(p[0], []).extend((pos, o) for o in offs[:take])
    inset = set(words)
    fwd = {}
    for w in words:
        out = {}
        for key in senses.get(w, []):
            for lem in syn[key]:
                out.setdefault(lem, 0)
            for sym, target in ptr[key]:
                if sym in ("+", "&", "@"):
                    for lem in syn[target]:
                        out.setdefault(lem, 1)
                if sym == "@" and len(hypo[target]) <= FAMILY:
                    for sib in hypo[target]:
                        for lem in syn[sib]:
                            out.setdefault(lem, 2)
        out.pop(w, None)
        fwd[w] = [lem for lem in out if lem in inset]
    rev = collections.defaultdict(list)
    for w, rel in fwd.items():
        for lem in rel:
            rev[lem].append(w)
    table = {}
    for w in words:
        rel = list(fwd[w])
        rel += sorted((x for x in rev[w] if x not in rel), key=lambda x: -counts[x])
        table[w] = rel[:MAX_RELATED]
    return table


def main():
    wn = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
    counts = collections.Counter()
    nouns = collections.Counter()
    with open(os.path.join(wn, "cntlist.rev"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            lemma = parts[0].split("%")[0]
            if lemma.isalpha() and lemma.isascii() and 2 <= len(lemma) <= 20:
                counts[lemma.lower()] += int(parts[2])
                if parts[0].split("%")[1].startswith("1"):
                    nouns[lemma.lower()] += int(parts[2])
    classes = collections.Counter()
    hypo, lemmas = {}, {}
    with open(os.path.join(wn, "data.noun"), encoding="utf-8") as f:
        for line in f:
            if line.startswith(" "):
                continue
            parts = line.split(" | ")[0].split()
            off, nw = parts[0], int(parts[3], 16)
            lemmas[off] = [parts[4 + 2 * i].lower() for i in range(nw)]
            k = 4 + 2 * nw
            np = int(parts[k])
            hypo[off] = [parts[k + 1 + 4 * i + 1] for i in range(np)
                         if parts[k + 1 + 4 * i] == "~"]
    for bit, roots in CLASSES.items():
        seen, todo = set(), list(roots)
        while todo:
            off = todo.pop()
            if off in seen:
                continue
            seen.add(off)
            todo += hypo.get(off, [])
        for off in seen:
            for lem in lemmas[off]:
                if lem.isalpha() and lem.isascii() and 2 <= len(lem) <= 20:
                    classes[lem] |= bit
    words = sorted(w for w in set(counts) | set(classes)
                   if counts[w] >= MIN_COUNT or (classes[w] and counts[w] > 0))
    out = io.StringIO()
    out.write("/* Generated by scripts/gen_lex.py from WordNet 3.0 (cntlist.rev, data.noun, *.exc); "
              "do not edit.\n * WordNet 3.0 Copyright 2006 by Princeton University; see its "
              "licence. */\n")
    out.write('#include "bot/kb/kb_lex.h"\n\n')
    out.write("/* One long string, longer than ISO C requires compilers to take: GCC and Clang do. */\n")
    out.write('#pragma GCC diagnostic ignored "-Woverlength-strings"\n\n')
    # One string of all the words, NUL-separated, and entries by offset: no pointers,
    # so nothing to relocate at load and the table stays in read-only, shared pages.
    offs, pos = [], 0
    out.write("const char kb_lex_strings[] =\n")
    for w in words:
        offs.append(pos)
        out.write(f'    "{w}\\0"\n')
        pos += len(w) + 1
    out.write("    ;\n\n")
    out.write("const struct kb_lex_word kb_lex_words[] = {\n")
    for w, off in zip(words, offs):
        share = round(100 * nouns[w] / counts[w]) if counts[w] else 100
        out.write(f"    {{{off}, {min(counts[w], 65535)}, {share}, {classes[w]}}},\n")
    out.write("};\n\n")
    out.write(f"const size_t kb_lex_nwords = {len(words)};\n")
    index = {w: i for i, w in enumerate(words)}
    forms = {}
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, pos + ".exc"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) < 2:
                    continue
                form, lemma = parts[0], parts[1]
                if (form.isalpha() and form.isascii() and form not in index
                        and lemma in index and 2 <= len(form) <= 20):
                    # one lemma per form: the commoner ("left": leave, not left)
                    if form not in forms or counts[lemma] > counts[forms[form]]:
                        forms[form] = lemma
    out.write("\n/* Irregular forms and the index of their lemma in kb_lex_words. */\n")
    out.write("const char kb_lex_form_strings[] =\n")
    offs, pos = [], 0
    for form in sorted(forms):
        offs.append(pos)
        out.write(f'    "{form}\\0"\n')
        pos += len(form) + 1
    out.write("    ;\n\n")
    out.write("const struct kb_lex_form kb_lex_forms[] = {\n")
    for form, off in zip(sorted(forms), offs):
        out.write(f"    {{{off}, {index[forms[form]]}}},\n")
    out.write("};\n\n")
    out.write(f"const size_t kb_lex_nforms = {len(forms)};\n")
    rel = related_words(wn, words, counts)
    out.write("\n/* Related words: those of word i are kb_lex_rel[kb_lex_rel_at[i] ..\n"
              " * kb_lex_rel_at[i + 1]), indexes into kb_lex_words. */\n")
    out.write("const unsigned kb_lex_rel_at[] = {\n")
    at = 0
    for w in words:
        out.write(f"    {at},\n")
        at += len(rel[w])
    out.write(f"    {at},\n}};\n\n")
    out.write("const unsigned short kb_lex_rel[] = {\n")
    for w in words:
        if rel[w]:
            out.write("    " + ", ".join(str(index[x]) for x in rel[w]) + ",\n")
    out.write("};\n")
    text = out.getvalue()
    # In the house layout, so `make lint` passes on the generated file as written.
    try:
        text = subprocess.run(["clang-format", "--assume-filename=bot/kb/kb_lex_data.c"],
                              input=text, capture_output=True, text=True, check=True,
                              cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))).stdout
    except (OSError, subprocess.CalledProcessError):
        pass
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
