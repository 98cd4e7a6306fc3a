/* chat.js - placeholder until the web chat page lands (issue 18). */
