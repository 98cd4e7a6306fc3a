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

With --related it writes the meaning table instead (bot/kb/kb_related_data.c):
for every single-word lemma of WordNet (not proper names, instances, nor the
nouns of plants, animals, foods, substances and the body), a profile of the
lemmas its commonest senses lead to, each with a weight: its synonyms (0.9),
derivations (0.8; "kind": kindness), similar-to, also-see, attribute and
pertainym links (0.7; "dependable": reliable), its hypernyms (0.55), its
hyponyms in a small family (0.5), the words of its definition (0.45, halved for
words in many definitions and dropped for the commonest: "kindness" is
"warmhearted and considerate and humane and sympathetic") and its siblings in a
small family (0.4; "teamwork", "collaboration": cooperation), each times its
sense's rank (1, 0.85, 0.7, 0.6; later senses left out).  Then weak links, a
step past the word's senses: a group and its members (0.5; "staff": staffer),
what the members are (0.4; "staff": employee), the other words of a derived
word's synset (0.5; "location": locate, and so site); a lemma weakly linked
from more than HUB words is too general to mean anything by them, and those
links are dropped.  A hypernym named only in phrases ("print media") is passed
for the one above it ("medium").  Two words are as related as the
best lemma their profiles share (kb_related.c), so "kindness" meets
"compassion" through "sympathy" without a list of synonyms.  At most
REL_PROFILE lemmas a word, the heaviest.  The table is laid out for lookups
that read little of it: each lemma's record holds its profile spelled out,
records are packed into 4 KiB pages that none crosses, and a few KiB of page
keys lead to the one page a word is on (write_related()).

usage: scripts/gen_lex.py [WORDNET_DIR] > bot/kb/kb_lex_data.c
       scripts/gen_lex.py --related [WORDNET_DIR] --sample tests/data/kb_related_sample.tsv \
           > bot/kb/kb_related_data.c
       scripts/gen_lex.py --verbs [WORDNET_DIR] > bot/kb/kb_lex_verbs_data.c

With --verbs it writes the verb classes (bot/kb/kb_lex_verbs_data.c): every
verb lemma of WordNet (not only SemCor's: "tweak", "delete", "rename") whose
commonest sense (the one SemCor tagged most, else the first) is of a class of
meaning, found in WordNet's verb tree (write_verbs()).
"""
import collections
import io
import os
import re
import subprocess
import sys

MIN_COUNT = 3
# Kinds of answer a question may want, as WordNet noun synsets whose hyponyms
# (not instances: those are real people and places) carry the class bit.
CLASSES = {
    1: ["00007846", "07942152", "07950920"],  # person, people, social group: "who"
    2: ["00027167", "04341686", "03315023"],  # location, structure, facility: "where"
    # sum of money, monetary value, expenditure, fund, money, funding, spending, a budget
    # as a plan of spending: "how much"
    4: ["13331198", "05145118", "13275288", "13358549", "13384557", "01099109", "01122149",
        "13421462"],
    # the same roots as 1, for a word mostly used of people ("staff", "partner"; not
    # "service" or "chapter", whose people senses are rare): what a "who" is answered by
    8: ["00007846", "07942152", "07950920"],
}
# Classes a lemma takes only when most of its noun uses SemCor tagged are in them (its
# commonest sense when none was tagged): money words are also words of other kinds
# ("interest", "return", "cover", "benefit"); a word of people mostly (8) is one whose
# people senses are its common ones ("partner", not "service": the armed services).
MOST_SENSES = {4, 8}
MOST_SHARE = 0.6  # rarer words are left out: they are not light, nor shadow a light lemma
SENSES = 2
FAMILY = 12
MAX_RELATED = 12
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
# The meaning table (--related): weights of each link, of each sense by rank.
REL_PROFILE = 16
REL_PAGE = 4096  # the meaning table's page: KB_RELATED_PAGE
SAMPLE_EVERY = 97  # the lemmas of the table whose profiles --sample writes
REL_MIN = 0.25
BROAD = 40  # a hypernym with more hyponyms than this is too broad to relate ("work", "act")
W_SYN, W_DER, W_SIM, W_HYPER, W_HYPO, W_GLOSS, W_SIB = 0.9, 0.8, 0.7, 0.55, 0.5, 0.45, 0.4
# Links a step past a word's senses (weak links): a group and its members
# ("staff": staffer), what the members are ("staff": employee), the other words
# of a derivation's synset ("location": locate, and so site).  A hypernym named
# only in phrases ("print media") is passed for its own hypernym ("medium").
W_MEMBER, W_GROUP, W_DERSYN = 0.5, 0.4, 0.5
HUB = 150  # words a lemma may be weakly linked from before those links are dropped
SENSE_W = [1.0, 0.85, 0.7, 0.6]
SENSE_EVIDENCE = 10  # tagged uses of a word over which its senses are weighed by them
SENSE_MIN = 0.2  # a sense meant less than this share of the commonest's is left out
GLOSS_COMMON, GLOSS_DROP = 50, 300  # definitions a word is in: halved over, dropped over
SKIP_LEX = {5, 8, 13, 20, 27}  # noun.animal, noun.body, noun.food, noun.plant, noun.substance
GLOSS_STOP = set("""a an the of and or to in on for with by from as at be is are that this it its
which who what not no into than other another one some any all more most such being having their
them they his her he she we our you your very also only own same so too can will just especially
usually often done about wanting something someone""".split())


def read_data(wn):
    """WordNet's data.* files, read the same way for both tables: by synset
    (pos, offset) its words as written, its pointers (symbol, target synset,
    source/target word numbers), the words of its definition and its
    lexicographer file; the hyponyms of each synset and the set of instances."""
    syn, ptr, gloss, lex, inst = {}, {}, {}, {}, set()
    hypo = collections.defaultdict(list)
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, "data." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                head, _, text = line.partition(" | ")
                parts = head.split()
                key, nw = (pos, parts[0]), int(parts[3], 16)
                lex[key] = int(parts[1])
                syn[key] = [parts[4 + 2 * i].split("(")[0] for i in range(nw)]
                k = 4 + 2 * nw
                ptr[key] = [(parts[k + 1 + 4 * i],
                             (POS_FILES[parts[k + 3 + 4 * i]], parts[k + 2 + 4 * i]),
                             parts[k + 4 + 4 * i]) for i in range(int(parts[k]))]
                gloss[key] = [x for x in re.findall(r"[a-z]+", text.split(";")[0].lower())
                              if x not in GLOSS_STOP and len(x) > 2]
                for sym, target, _ in ptr[key]:
                    if sym == "@":
                        hypo[target].append(key)
                    elif sym == "@i":
                        inst.add(key)
    return syn, ptr, gloss, lex, hypo, inst


def read_tagged(wn):
    """How often SemCor tagged each sense: {(lemma, pos, synset offset): uses}.
    A line of cntlist.rev names its sense by key (lemma%ss_type:lex_filenum:lex_id:
    head_word:head_id), which leads to one synset: the one of that lexicographer file
    holding the lemma with that lex_id (for an adjective satellite, in the cluster of
    that head).  Its sense number is not that synset's place in index.*: some keys
    are of senses WordNet 3.0 moved or dropped ("press%1:14:00::", print media
    counted as a group, numbered 1), whose numbers belong to an older order, and
    those of the same lemma keep it ("world": every count a sense late).  WordNet's
    own counts (index.sense, `wn -over`) leave such keys out, and so does this.
    Debian's wordnet-base has no index.sense: the keys are made from data.*."""
    words_of, sense = {}, {}
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, "data." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.partition(" | ")[0].split()
                nw = int(parts[3], 16)
                k = 4 + 2 * nw
                similar = [parts[k + 2 + 4 * i] for i in range(int(parts[k]))
                           if parts[k + 1 + 4 * i] == "&"]
                words_of[(pos, parts[0])] = (
                    parts[2], int(parts[1]), similar,
                    [(parts[4 + 2 * i].split("(")[0].lower(), int(parts[5 + 2 * i], 16))
                     for i in range(nw)])
    for (pos, off), (ss_type, lex_file, similar, words) in words_of.items():
        head = ":"
        if ss_type == "s" and similar:
            head = "%s:%02d" % words_of[(pos, similar[0])][3][0]
        ss = {"n": 1, "v": 2, "a": 3, "r": 4, "s": 5}[ss_type]
        for word, lex_id in words:
            sense[f"{word}%{ss}:{lex_file:02d}:{lex_id:02d}:{head}"] = (pos, off)
    tagged = collections.Counter()
    with open(os.path.join(wn, "cntlist.rev"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            # An old key may mark its head adjective's place ("single(a)"): data.* does not.
            key = re.sub(r"\((a|p|ip)\)", "", p[0]) if len(p) == 3 else None
            if key in sense:
                tagged[(p[0].partition("%")[0].lower(),) + sense[key]] += int(p[2])
    return tagged


def read_index(wn):
    """WordNet's index.* files: (pos, lemma, its synset offsets commonest first,
    how many of those SemCor tagged) a lemma and part of speech."""
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, "index." + pos), encoding="utf-8") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                p = line.split()
                nsyn, nptr = int(p[2]), int(p[3])
                yield pos, p[0], p[6 + nptr:6 + nptr + nsyn], int(p[5 + nptr])


def read_exc(wn):
    """WordNet's *.exc files: (irregular form, its lemma) a line."""
    for pos in ("noun", "verb", "adj", "adv"):
        with open(os.path.join(wn, pos + ".exc"), encoding="utf-8") as f:
            for line in f:
                parts = line.split()
                if len(parts) >= 2:
                    yield parts[0], parts[1]


def related_words(wn, data, words, counts):
    """For each word of @words, its related words in @words (see the docstring);
    @data is what read_data() returned."""
    syn, ptr, _, _, hypo, _ = data
    senses = {}
    for pos, lemma, offs, tagged in read_index(wn):
        take = max(1, min(tagged, SENSES))
        senses.setdefault(lemma, []).extend((pos, o) for o in offs[:take])
    inset = set(words)
    fwd = {}
    for w in words:
        out = {}
        for key in senses.get(w, []):
            for lem in syn[key]:
                out.setdefault(lem.lower(), 0)
            for sym, target, _ in ptr[key]:
                if sym in ("+", "&", "@"):
                    for lem in syn[target]:
                        out.setdefault(lem.lower(), 1)
                if sym == "@" and len(hypo[target]) <= FAMILY:
                    for sib in hypo[target]:
                        for lem in syn[sib]:
                            out.setdefault(lem.lower(), 2)
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


def is_word(w):
    return w.isalpha() and w.isascii() and 2 <= len(w) <= 20


def meaning_profiles(wn, only=None):
    """Each WordNet word's profile: {lemma: weight} (see the docstring)."""
    syn, ptr, gloss, lex, hypo, inst = read_data(wn)
    # How often each sense was tagged in SemCor: (lemma, pos, synset offset) -> count.
    tagged = read_tagged(wn)
    senses = collections.defaultdict(list)
    for pos, lemma, offs, _ in read_index(wn):
        senses[lemma].extend(((pos, off), rank) for rank, off in enumerate(offs))

    def keep(key):
        return key not in inst and not (key[0] == "noun" and lex[key] in SKIP_LEX)

    def lemmas(key):
        return [x.lower() for x in syn[key] if is_word(x) and not x[0].isupper()]

    vocab = {w for w, ss in senses.items() if is_word(w) and any(keep(k) for k, _ in ss)}
    exc = {}
    for form, lemma in read_exc(wn):
        exc.setdefault(form, lemma)

    def base(x):
        if x in vocab:
            return x
        if x in exc:
            return exc[x]
        for end, rep in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                         ("ed", "e"), ("es", ""), ("s", "")):
            if x.endswith(end) and x[:-len(end)] + rep in vocab:
                return x[:-len(end)] + rep
        return None

    df = collections.Counter()
    for key, words in gloss.items():
        gloss[key] = [b for b in (base(x) for x in words) if b]
        df.update(set(gloss[key]))

    def profile(w):
        prof, weak = {}, {}

        def add(lem, weight):
            if lem in vocab and lem != w and weight > prof.get(lem, 0):
                prof[lem] = weight

        def add_weak(lem, weight):
            # A link past the word's own senses: kept apart, for the hub cap.
            if lem in vocab and lem != w and weight > weak.get(lem, 0):
                weak[lem] = weight

        # A word seen often enough in SemCor weighs its senses by how often each
        # was meant ("pay": to give money, hardly to yield); else by rank.
        counts = {key: tagged[(w,) + key] for key, _ in senses.get(w, [])}
        most = max(counts.values(), default=0)
        for key, rank in senses.get(w, []):
            if sum(counts.values()) >= SENSE_EVIDENCE:
                sw = counts[key] / most
            else:
                sw = SENSE_W[rank] if rank < len(SENSE_W) else 0
            if not keep(key) or sw < SENSE_MIN:
                continue
            for lem in lemmas(key):
                add(lem, W_SYN * sw)
            for g in gloss[key]:
                if df[g] <= GLOSS_DROP:
                    add(g, W_GLOSS * sw * (0.5 if df[g] > GLOSS_COMMON else 1))
            for sym, target, src in ptr[key]:
                if target not in syn:
                    continue
                if src != "0000":
                    # A link between two words, not two synsets: only from @w ("kind":
                    # kindness), never from its synonyms ("honor": honorable is
                    # not a word "respect" leads to).
                    si, ti = int(src[:2], 16) - 1, int(src[2:], 16) - 1
                    if (0 <= si < len(syn[key]) and syn[key][si].lower() == w and
                            0 <= ti < len(syn[target]) and is_word(syn[target][ti]) and
                            sym in ("+", "&", "^", "\\", "<")):
                        add(syn[target][ti].lower(), (W_DER if sym == "+" else W_SIM) * sw)
                        # The derived word's synonyms, weaker ("location": locate,
                        # and so site).
                        if sym == "+":
                            for lem in lemmas(target):
                                add_weak(lem, W_DERSYN * sw)
                    continue
                if sym in ("&", "^", "\\", "<"):
                    weight = W_SIM
                elif sym in ("#m", "%m"):
                    for lem in lemmas(target):
                        add_weak(lem, W_MEMBER * sw)
                    # A group is what its members are, weaker ("staff": staffer,
                    # an employee).
                    for s2, t2, _ in ptr[target] if sym == "%m" else ():
                        if s2 == "@" and t2 in syn and keep(t2) and len(hypo[t2]) <= BROAD:
                            for lem in lemmas(t2):
                                add_weak(lem, W_GROUP * sw)
                    continue
                elif sym == "@":
                    weight = W_HYPER if len(hypo[target]) <= BROAD else 0
                elif sym == "~" and len(hypo[key]) <= FAMILY:
                    weight = W_HYPO
                else:
                    continue
                if not weight or not keep(target):
                    continue
                for lem in lemmas(target):
                    add(lem, weight * sw)
                if sym == "@":
                    # A hypernym of phrases only: the one above it, unless broad.
                    for s2, t2, _ in ptr[target] if not lemmas(target) else ():
                        if s2 == "@" and t2 in syn and keep(t2) and len(hypo[t2]) <= BROAD:
                            for lem in lemmas(t2):
                                add_weak(lem, weight * sw)
                if sym == "@" and len(hypo[target]) <= FAMILY:
                    for sib in hypo[target]:
                        if keep(sib):
                            for lem in lemmas(sib):
                                add(lem, W_SIB * sw)
        return prof, {lem: x for lem, x in weak.items() if x > prof.get(lem, 0)}

    links = {w: profile(w) for w in sorted(only or vocab)}
    # A lemma the weaker links lead to from more than HUB words is too general
    # to mean anything by them ("person", "act"): those links are dropped.
    hub = collections.Counter(lem for _, weak in links.values() for lem in weak)
    out = {}
    for w, (prof, weak) in links.items():
        for lem, x in weak.items():
            if hub[lem] <= HUB:
                prof[lem] = x
        best = sorted(prof.items(), key=lambda kv: (-kv[1], kv[0]))
        out[w] = {lem: weight for lem, weight in best[:REL_PROFILE] if weight >= REL_MIN}
    return out


def related_records(prof):
    """The meaning table's records, (lemma, bytes) in order: how many lemmas its
    profile holds (a byte), the lemma, their weights (a byte each), the lemmas (each
    NUL-ended), heaviest first, then in order, as kb_related_profile() returns them."""
    recs = []
    for w in sorted(prof):
        links = sorted(((x, max(1, min(255, round(v * 255)))) for x, v in prof[w].items()),
                       key=lambda xc: (-xc[1], xc[0]))
        assert len(links) <= REL_PROFILE <= 16 and len(w) <= 20
        body = (bytes([len(links)]) + w.encode() + b"\0" + bytes(c for _, c in links) +
                b"".join(x.encode() + b"\0" for x, _ in links))
        recs.append((w, body))
    return recs


def fnv(s, basis):
    """FNV-1a of @s from @basis, 32 bits: kb_related_id()."""
    return fnv_bytes(s.encode(), basis)


def fnv_bytes(b, basis):
    """FNV-1a of the bytes @b from @basis, 32 bits: kb_related_id_bytes()."""
    h = basis
    for c in b:
        h = ((h ^ c) * 16777619) & 0xFFFFFFFF
    return h


def write_strings(out, name, words):
    """Writes @words as one C string, each ended by a NUL, in lines under 80
    columns; returns each word's offset in it."""
    out.write(f"const char {name}[] =\n")
    offs, pos, line = [], 0, ""
    for w in words:
        offs.append(pos)
        pos += len(w) + 1
        if len(line) + len(w) + 2 > 80:
            out.write(f'"{line}"\n')
            line = ""
        line += w + "\\0"
    out.write(f'"{line}";\n\n')
    return offs


def write_related(wn, sample=None):
    """The meaning table as C: records packed into 4 KiB pages that no record
    crosses, and each page's key, so that a lookup reads the keys (a few KiB,
    kept hot) and one page; a profile's lemmas are spelled in it, so that
    nothing else is read.  Lemmas are known in profiles by their FNV-1a hash,
    from a basis under which no two collide.  With @sample, also writes to it
    the profiles of every SAMPLE_EVERY-th lemma and strings the table lacks,
    for tests/kb/test_kb_related.c to check the table against."""
    prof = meaning_profiles(wn)
    recs = related_records(prof)
    # A page: how many records it holds (2 bytes, little-endian), where each
    # starts (2 bytes each), the records.
    groups, group, size = [], [], 2
    for w, rec in recs:
        if size + 2 + len(rec) > REL_PAGE:
            groups.append(group)
            group, size = [], 2
        group.append((w, rec))
        size += 2 + len(rec)
    groups.append(group)
    pages = []
    for group in groups:
        at = 2 + 2 * len(group)
        head = len(group).to_bytes(2, "little")
        for _, rec in group:
            head += at.to_bytes(2, "little")
            at += len(rec)
        pages.append(head + b"".join(rec for _, rec in group))
    firsts, lasts = [g[0][0] for g in groups], [g[-1][0] for g in groups]
    # Page p's key: the shortest start of its first lemma past the last lemma before it.
    keys = [""]
    for first, last in zip(firsts[1:], lasts[:-1]):
        keys.append(next(first[:n] for n in range(1, len(first) + 1) if first[:n] > last))
    basis = next(b for b in range(2166136261, 2166136261 + 1000)
                 if len({fnv(w, b) for w in prof}) == len(prof))
    out = io.StringIO()
    out.write("/* Generated by scripts/gen_lex.py --related from WordNet 3.0 (data.*, index.*, "
              "*.exc); do not edit.\n * WordNet 3.0 Copyright 2006 by Princeton University; see "
              "its licence. */\n")
    out.write('#include "bot/kb/kb_related.h"\n\n')
    out.write("/* Long strings, longer than ISO C requires compilers to take: GCC and Clang do. */\n")
    out.write('#pragma GCC diagnostic ignored "-Woverlength-strings"\n\n')
    # Dense lines, as written: aligned by clang-format the table would be twice the size.
    out.write("/* clang-format off */\n")
    out.write(f"const size_t kb_related_nwords = {len(recs)};\n")
    out.write(f"const size_t kb_related_npages = {len(pages)};\n")
    out.write(f"const unsigned kb_related_basis = {basis}u;\n")
    out.write(f"const unsigned kb_related_page0_id = "
              f"{fnv_bytes(pages[0].ljust(REL_PAGE, bytes(1)), basis)}u;\n\n")
    offs = write_strings(out, "kb_related_keys", keys)
    assert not offs or offs[-1] + len(keys[-1]) + 1 < 1 << 16
    out.write("const unsigned short kb_related_key_at[] = {\n")
    dense(out, [str(o) for o in offs])
    out.write("};\n\n")
    # A string, not numbers: printable bytes as they are, the rest in octal (three
    # digits, so that no digit after one is taken into it; "?" too: no trigraphs).
    out.write(f"_Alignas(KB_RELATED_PAGE) const unsigned char "
              f"kb_related_pages[{len(pages)} * KB_RELATED_PAGE] =\n")
    blob = b"".join(pg.ljust(REL_PAGE, b"\0") for pg in pages[:-1]) + pages[-1]
    line = ""
    for b in blob:
        c = chr(b) if 32 <= b < 127 and chr(b) not in '"\\?' else "\\%03o" % b
        if len(line) + len(c) > 86:
            out.write(f'"{line}"\n')
            line = ""
        line += c
    out.write(f'"{line}";\n/* clang-format on */\n')
    if sample:
        write_sample(sample, wn, prof, recs)
    return out.getvalue()


def write_sample(path, wn, prof, recs):
    """Every SAMPLE_EVERY-th lemma's profile as the script computed it ("hit",
    the lemma, then each lemma of its profile and its weight, 1..255, heaviest
    first, then in order) and strings near it that no lookup can find ("miss":
    not a lemma, nor one by any inflection kb_related_find() undoes, nor an
    irregular form), tab-separated, one a line."""
    exc = {form for form, _ in read_exc(wn)}
    ends = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"),
            ("es", ""), ("s", ""))

    def findable(x):
        if x in prof or x in exc:
            return True
        return any(x.endswith(end) and x[:-len(end)] + extra in prof
                   for end, rep in ends for extra in (rep, rep + "e"))

    with open(path, "w", encoding="ascii") as f:
        for i, (w, _) in enumerate(recs):
            if i % SAMPLE_EVERY:
                continue
            links = sorted(((x, max(1, min(255, round(v * 255)))) for x, v in prof[w].items()),
                           key=lambda xc: (-xc[1], xc[0]))
            f.write("\t".join(["hit", w] + [f"{x}\t{c}" for x, c in links]) + "\n")
            for x in (w[:-1], w + "q", w[:-1] + "q", "q" + w):
                if not findable(x):
                    f.write(f"miss\t{x}\n")


def dense(out, cells):
    """Writes @cells comma-separated, as many a line as fit in 88 columns."""
    line = ""
    for c in cells:
        if len(line) + len(c) + 1 > 88:
            out.write(line + "\n")
            line = ""
        line += c + ","
    out.write(line + "\n")


LEX_SLOTS = 32768  # KB_LEX_SLOTS in bot/kb/kb_lex.h: a power of two over twice the words


def lex_hash(w):
    """FNV-1a of @w's bytes, as kb_lex.c's lex_hash()."""
    h = 2166136261
    for b in w.encode():
        h = ((h ^ b) * 16777619) & 0xFFFFFFFF
    return h


def write_slots(out, name, keys):
    """The open-addressing table kb_lex.c probes: key i + 1 at its hash's slot or
    the next free one (linear probing), 0 empty; built here so that the bot
    reads only the slots and strings a lookup meets, nothing at start."""
    assert len(keys) < LEX_SLOTS // 2
    slots = [0] * LEX_SLOTS
    for i, k in enumerate(keys):
        h = lex_hash(k)
        while slots[h & (LEX_SLOTS - 1)]:
            h += 1
        slots[h & (LEX_SLOTS - 1)] = i + 1
    out.write(f"\nconst unsigned short {name}[KB_LEX_SLOTS] = {{\n")
    for i in range(0, LEX_SLOTS, 16):
        out.write("    " + ", ".join(str(x) for x in slots[i:i + 16]) + ",\n")
    out.write("};\n")


# The verb classes (--verbs): KB_LEX_VERBS_* in bot/kb/kb_lex_verbs.h.
VERB_ALTER = 1
# A class of verbs is the tree under the senses of a few verbs in some of
# WordNet's lexicographer files: to alter is to change or remove, in the senses
# of verb.change (30) and verb.possession (40: "exchange", "get rid of"), not
# "change trains" (motion) nor "remove from office" (social); or to put a text
# in other words, in those of verb.communication (32: "reword", "mistranslate").
VERB_ROOTS = {VERB_ALTER: [(("change", "remove"), {30, 40}),
                           (("paraphrase", "translate"), {32})]}


def verb_classes(wn):
    """{verb lemma: class bits}: a lemma mostly used as a verb is of a class when
    its commonest sense lies under the class's roots (VERB_ROOTS), or makes its hypernym anew
    ("rename": to name again, "rewrite"): a verb "re" + the hypernym's own word."""
    syn, ptr, _, lex, _, _ = read_data(wn)
    tagged = read_tagged(wn)
    offs = {lem: o for pos, lem, o, _ in read_index(wn) if pos == "verb"}
    # A word used mostly as a noun is read as one ("core", "exchange"): SemCor's
    # uses of each part of speech, else how many senses WordNet gives each.
    uses_as, senses_as = collections.Counter(), collections.Counter()
    for (lem, pos, _), c in tagged.items():
        uses_as[(lem, pos)] += c
    for pos, lem, o, _ in read_index(wn):
        senses_as[(lem, pos)] = len(o)

    def mostly_verb(lem):
        v, n = uses_as[(lem, "verb")], uses_as[(lem, "noun")]
        if v + n:
            return v >= n
        return senses_as[(lem, "verb")] >= senses_as[(lem, "noun")]

    def hypernyms(off):
        return [t[1] for sym, t, _ in ptr[("verb", off)] if sym == "@"]

    out = collections.Counter()
    for bit, trees in VERB_ROOTS.items():
        roots = {o for seeds, files in trees for w in seeds for o in offs[w]
                 if lex[("verb", o)] in files}
        for lem, senses in offs.items():
            if not is_word(lem) or not mostly_verb(lem):
                continue
            uses = [tagged.get((lem, "verb", o), 0) for o in senses]
            top = senses[uses.index(max(uses))] if max(uses) else senses[0]
            seen, todo = set(), [top]
            while todo and not roots & seen:
                o = todo.pop()
                if o not in seen:
                    seen.add(o)
                    todo += hypernyms(o)
            anew = lem.startswith("re") and any(
                lem[2:] in (x.lower() for x in syn[("verb", h)]) for h in hypernyms(top))
            if roots & seen or anew:
                out[lem] |= bit
    return out


def write_verbs(wn):
    """The verb classes as C: the lemmas in order, NUL-separated (a binary search
    by offset), and each one's class bits."""
    cls = verb_classes(wn)
    words = sorted(cls)
    out = io.StringIO()
    out.write("/* Generated by scripts/gen_lex.py --verbs from WordNet 3.0 (data.verb, "
              "index.verb, cntlist.rev);\n * do not edit.  WordNet 3.0 Copyright 2006 by "
              "Princeton University; see its licence. */\n")
    out.write('#include "bot/kb/kb_lex_verbs.h"\n\n')
    out.write("/* One long string, longer than ISO C requires compilers to take: GCC and Clang do. */\n")
    out.write('#pragma GCC diagnostic ignored "-Woverlength-strings"\n\n')
    out.write("/* clang-format off */\n")
    offs = write_strings(out, "kb_lex_verbs_strings", words)
    out.write("const unsigned kb_lex_verbs_at[] = {\n")
    dense(out, [str(o) for o in offs])
    out.write("};\n\n")
    out.write("const unsigned char kb_lex_verbs_cls[] = {\n")
    dense(out, [str(cls[w]) for w in words])
    out.write("};\n\n")
    out.write(f"const size_t kb_lex_verbs_n = {len(words)};\n/* clang-format on */\n")
    return out.getvalue()


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--related":
        args, sample = sys.argv[2:], None
        if "--sample" in args:
            at = args.index("--sample")
            sample = args[at + 1]
            del args[at:at + 2]
        emit(write_related(args[0] if args else "/usr/share/wordnet", sample))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--verbs":
        emit(write_verbs(sys.argv[2] if len(sys.argv) > 2 else "/usr/share/wordnet"))
        return
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
    data = read_data(wn)
    syn, ptr = data[0], data[1]
    classes = collections.Counter()
    senses = {lem.lower(): offs for pos, lem, offs, _ in read_index(wn) if pos == "noun"}
    sense_uses = collections.defaultdict(collections.Counter)  # lemma: noun synset: uses
    for (lem, pos, off), uses in read_tagged(wn).items():
        if pos == "noun":
            sense_uses[lem][off] += uses
    for bit, roots in CLASSES.items():
        member = collections.defaultdict(set)
        seen, todo = set(), list(roots)
        while todo:
            off = todo.pop()
            if off in seen:
                continue
            seen.add(off)
            todo += [t[1] for sym, t, _ in ptr.get(("noun", off), []) if sym == "~"]
        for off in seen:
            for lem in (x.lower() for x in syn[("noun", off)]):
                if lem.isalpha() and lem.isascii() and 2 <= len(lem) <= 20:
                    if bit in MOST_SENSES:
                        member[lem].add(off)
                    else:
                        classes[lem] |= bit
        for lem, offs in member.items():
            uses = sense_uses.get(lem, {})
            total = sum(uses.values())
            inside = sum(c for o, c in uses.items() if o in offs)
            if (inside >= MOST_SHARE * total) if total else senses[lem][0] in offs:
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
    for form, lemma in read_exc(wn):
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
    write_slots(out, "kb_lex_word_slots", words)
    write_slots(out, "kb_lex_form_slots", sorted(forms))
    rel = related_words(wn, data, words, counts)
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
    emit(out.getvalue())


def emit(text):
    """Writes @text to stdout in the house layout."""
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
