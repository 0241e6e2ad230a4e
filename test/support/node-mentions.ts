/** Where a file names a Node.js version (src/model/node-version.ts holds the one generated repos use). */

/** The ways a file names a Node.js version; each captures the major. */
const MENTIONS: readonly RegExp[] = [
  /\bnodejs(\d+)\.x\b/g, // a Lambda runtime
  /\bnodejs(\d+)(?:-npm)?\b(?!\.)/g, // Amazon Linux packages
  /\/lambda\/nodejs:(\d+)/g, // the Lambda base image
  /\/library\/node:(\d+)/g, // the Node.js image
  /"?\bnode(?:js)?"?\s*:\s*"?(?:>=?\s*)?(\d+)/g, // runtime-versions (nodejs: "24"), engines ("node": ">=24")
  /"?node-version"?\s*:\s*"?(\d+)/g, // actions/setup-node
  /"?@types\/node"?\s*:\s*"\^?(\d+)/g, // the repo's @types/node
  /\bNode\.js (\d+)/g, // prose
];

/** [file, major] for every mention in the files (path -> text). */
export function nodeMentions(files: Record<string, string>): [string, number][] {
  return Object.entries(files).flatMap(([file, text]) => MENTIONS.flatMap((re) => [...text.matchAll(re)].map((m) => [file, Number(m[1])] as [string, number])));
}
