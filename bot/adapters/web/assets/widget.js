/* widget.js - placeholder until the web chat widget lands (issue 18). */
