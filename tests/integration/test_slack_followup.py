"""test_slack_followup.py - follow-ups and two questions through the fake Slack server.

The real `valuesbot run` against tests/fakes/fake_slack.py, with the
invariants of test_slack_conversation.ConversationCase checked after each
test (exit 0, no sanitizer report, every envelope acked, one reply per
message).  A follow-up ("and the second one?") leans on the last answer in
the same channel from the same person, and on nothing elsewhere; two
questions in one message get one reply with both answers and one source.
Expected wording comes from the KB (knowledge/tewv.json).
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from slackbot import reply_markup  # noqa: E402
from test_slack import HAVE_RUN, SKIP_WHY, kb  # noqa: E402
from test_slack_conversation import ConversationCase, has_words  # noqa: E402

TEWV = kb("tewv")


def goal_point(n, k):
    """Point @k (0-based) listed under goal @n (1-based) of the tewv KB."""
    return TEWV["goals"][n - 1]["points"][k]["text"]


@unittest.skipUnless(HAVE_RUN, SKIP_WHY)
class FollowUpTest(ConversationCase):

    def test_follow_up_in_the_same_channel_only(self):
        self.start()
        second = goal_point(2, 0)
        first = reply_markup(self.say("what are our goals?", "C0FOLLOWONE", mention=True)["body"])
        self.assertTrue(has_words(first, TEWV["goals"][2]["title"]), first)
        # The same person, the same channel: read as "the second goal".
        text = reply_markup(self.say("and the second one?", "C0FOLLOWONE", mention=True)["body"])
        self.assertTrue(has_words(text, second), text)
        # Another channel has no context: answered as the words stand (a decline).
        other = reply_markup(self.say("and the second one?", "C0FOLLOWTWO", mention=True)["body"])
        self.assertFalse(has_words(other, second), other)
        self.assertTrue(has_words(other, "sorry"), other)
        # Another person in the first channel has none either.
        text = reply_markup(self.say("and the second one?", "C0FOLLOWONE", user="U0HUMAN2",
                                     mention=True)["body"])
        self.assertFalse(has_words(text, second), text)

    def test_two_questions_in_one_message(self):
        self.start()
        post = self.say("what are our values and how many goals do we have?", "D0FOLLOWDM")
        text = reply_markup(post["body"])
        names = [v["name"] for v in TEWV["values"]]
        self.assertTrue(all(has_words(text, n) for n in names), text)
        self.assertTrue(has_words(text, TEWV["goals"][0]["title"]), text)
        self.assertLess(text.index(names[0]), text.lower().index("goals"), text)
        # The body carries the reply twice (blocks and fallback text): one source in each.
        low = text.lower()
        self.assertEqual(low.count("source:"), low.count("our three values"), text)


if __name__ == "__main__":
    unittest.main()
