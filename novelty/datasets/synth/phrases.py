"""Phrase pools shared by every family: openers, connectives, re-checks, asides, answers.

"RL" pools imitate what RL-trained reasoning models add: openers that talk to themselves, explicit
re-checks, heavier connectives, a bolded final answer.
"""

OPENERS_BASE = (
    "Let's solve this step by step.",
    "Let's work through this.",
    "Solution:",
    "Let's think step by step.",
)
OPENERS_RL = (
    "Okay, so I need to figure this out.",
    "Alright, let's tackle this step by step.",
    "Okay, let me think about this carefully.",
    "Let me start by understanding the problem.",
    "Okay, let's see.",
    "Hmm, okay.",
)
CONNECTIVES_BASE = ("So ", "Then ", "Now ", "Next, ")
CONNECTIVES_RL = (
    "So, ",
    "Now, ",
    "Alright, ",
    "Okay, so ",
    "Therefore, ",
    "Next, ",
    "Let me see. ",
    "Right, ",
    "Hmm, okay. ",
    "Then, ",
)
VERIFY = (
    "Wait, let me double-check that.",
    "Hmm, let me verify this step.",
    "Actually, let me re-examine that.",
    "Let me make sure that's right.",
    "Wait, is that right? Let me check again.",
    "Hold on, let me recompute this to be safe.",
)
CONFIRM = (
    "Yes, that's correct.",
    "Okay, that checks out.",
    "Good, that matches.",
    "Yes, same result.",
    "Okay, so that's consistent.",
)
AGAIN = (
    "Let me check that once more.",
    "Just to be extra careful, once more:",
    "And again, to be sure:",
)
CHECK_INTRO_BASE = ("",)  # the family check sentences already say "Check: ..."
CHECK_INTRO_RL = (
    "Let me verify the answer. ",
    "Let me double-check by plugging back in. ",
    "Just to be sure, let me verify. ",
    "Wait, let me make sure. ",
)
GENERIC_DIGRESSIONS = (
    "I should be careful with the signs here.",
    "It helps to write everything out explicitly.",
    "Let me keep the arithmetic organized.",
    "This is a fairly standard type of problem.",
)
ALT_MENTIONS = (
    "One could also use {alt} here, but this way is fine.",
    "(Alternatively, {alt} would work too.)",
    "I could try {alt} instead, but let's continue with this.",
)
FALSE_STARTS = (
    "Let me first try {alt}.",
    "My first thought is to use {alt}.",
    "Maybe {alt} works here.",
)
ABANDON = (
    "Hmm, that gets messy. Let me switch approaches.",
    "Actually, that's not the cleanest route. Let me do it differently.",
    "That seems harder than necessary, so let me try another way.",
)
LONG_RESTART = (
    "Let me go through the whole solution once more, more carefully.",
    "Let me redo this carefully to be sure nothing is off.",
    "To be thorough, let me write out each step again.",
    "Let me re-derive this from the start to make sure.",
)
ANSWER_BASE = (
    "The answer is \\boxed{{ans}}.",
    "The answer is \\boxed{{ans}}.",
    "Final answer: \\boxed{{ans}}",
    "So the answer is \\boxed{{ans}}.",
)
ANSWER_RL = (
    "The answer is \\boxed{{ans}}.",
    "**Final Answer**\n\\[\n\\boxed{{ans}}\n\\]",
    "So the final answer is \\boxed{{ans}}.",
)
