#!/usr/bin/env node
// The petset command. The compiled composition root does the work.
import('../dist/src/cmd/main.js').then(m => m.main(process.argv.slice(2)))
