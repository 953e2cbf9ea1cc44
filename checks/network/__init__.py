"""Network probes: proxy, DNS, reachability, TLS trust and the login page (guide FAQ 1's
"check your browser's DNS or proxy settings", and FAQ 2). Only configured targets are
ever contacted (plus a PAC file the user's own settings point to). Each probe module owns
its finding codes."""
