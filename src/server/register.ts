/**
 * Side-effect imports that add each protocol's factory to serviceFactories.
 * One line per service; `eider start` imports this file once.
 */
import '../api/register.js';
import '../imap/register.js';
import '../lmtp/register.js';
import '../pop3/register.js';

export {};
