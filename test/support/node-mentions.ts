/** Where a file names a Node.js version (src/model/node-version.ts holds the ones generated repos use). */
import { MIN_NODE_MAJOR, NODE_MAJOR } from '../../src/model/node-version';

/**
 * What a mention is: the version something runs on (in AWS, in CodeBuild, in a workflow), which is NODE_MAJOR, or
 * the oldest a package supports (`engines`, `@types/node`), which is MIN_NODE_MAJOR.
 */
export type MentionKind = 'runs' | 'supports';

/** The ways a file names a Node.js version; each captures the major. */
const MENTIONS: readonly [RegExp, MentionKind][] = [
  [/\bnodejs(\d+)\.x\b/g, 'runs'], // a Lambda runtime
  [/\bnodejs(\d+)(?:-npm)?\b(?!\.)/g, 'runs'], // Amazon Linux packages
  [/\/lambda\/nodejs:(\d+)/g, 'runs'], // the Lambda base image
  [/\/library\/node:(\d+)/g, 'runs'], // the Node.js image
  [/"?\bnodejs"?\s*:\s*"?(\d+)/g, 'runs'], // runtime-versions (nodejs: "24")
  [/"?\bnode"?\s*:\s*"?>=?\s*(\d+)/g, 'supports'], // engines ("node": ">=22")
  [/"?node-version"?\s*:\s*"?(\d+)/g, 'runs'], // actions/setup-node
  [/"?@types\/node"?\s*:\s*"\^?(\d+)/g, 'supports'], // the repo's @types/node
  [/\bNode\.js (\d+)/g, 'runs'], // prose
];

/** [file, major, kind] for every mention in the files (path -> text). */
export function nodeMentions(files: Record<string, string>): [string, number, MentionKind][] {
  return Object.entries(files).flatMap(([file, text]) =>
    MENTIONS.flatMap(([re, kind]) => [...text.matchAll(re)].map((m) => [file, Number(m[1]), kind] as [string, number, MentionKind])));
}

/** The mentions that name another version than the model's for their kind. */
export function wrongNodeMentions(files: Record<string, string>): [string, number, MentionKind][] {
  return nodeMentions(files).filter(([, major, kind]) => major !== (kind === 'runs' ? NODE_MAJOR : MIN_NODE_MAJOR));
}
