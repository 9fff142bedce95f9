import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEntities, htmlToText } from '../../src/mime/html-text.js';

test('htmlToText: table', () => {
  const cases: Array<[string, string]> = [
    ['<p>Hello</p><p>World</p>', 'Hello\n\nWorld'],
    ['Line<br>break<br/>again', 'Line\nbreak\nagain'],
    ['<b>bold</b> and <i>italic</i>', 'bold and italic'],
    ['<script>var a = "<p>x</p>";</script>visible', 'visible'],
    ['<SCRIPT type="x">bad()</SCRIPT >ok', 'ok'],
    ['<style>p { color: red }</style>styled', 'styled'],
    ['<head><title>T</title></head><body>B</body>', 'B'],
    ['<!-- comment <p>hidden</p> -->shown', 'shown'],
    ['<!DOCTYPE html><?xml version="1.0"?>text', 'text'],
    ['a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &#x263A; &euro;', 'a & b <c> "d" \'e\' ☺ €'],
    ['&nbsp;&nbsp;spaced&nbsp;out', 'spaced out'],
    ['&amp without semicolon &copy 2024', '& without semicolon © 2024'],
    ['&unknown; &#0; &#x110000; &#150;', '&unknown; \ufffd \ufffd –'],
    ['<a href="x?a=1&amp;b=2" title="a > b">link</a>', 'link'],
    ["<img alt='a > b' src=x>after", 'after'],
    ['  lots   of\n\n whitespace\t here ', 'lots of whitespace here'],
    ['<pre>keep\n  this</pre>', 'keep\nthis'],
    ['<ul><li>one</li><li>two</li></ul>', 'one\n\ntwo'],
    ['<table><tr><td>a</td><td>b</td></tr></table>', 'a b'],
    ['1 < 2 and 3 > 2', '1 < 2 and 3 > 2'],
    ['<unclosed tag', ''],
    ['<p>unclosed <b>bold', 'unclosed bold'],
    ['<script>never closed', ''],
    ['<style/>after self-closing', 'after self-closing'],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(htmlToText(input), want, input);
});

test('decodeEntities leaves text without references alone', () => {
  assert.equal(decodeEntities('plain'), 'plain');
  assert.equal(decodeEntities('&AMP;'), '&');
});

test('htmlToText is linear on hostile markup', () => {
  const started = Date.now();
  htmlToText('<'.repeat(200_000));
  htmlToText('<script>'.repeat(20_000));
  htmlToText('<a title="'.repeat(20_000));
  htmlToText('&#'.repeat(100_000));
  assert.ok(Date.now() - started < 5000);
});
