// tests/cvss/cvss_random.js - random valid CVSS vectors scored by ae-cvss-calculator
//
// SYNOPSIS
//	node cvss_random.js MODULE_DIR VERSION SEED COUNT
//
// DESCRIPTION
//	Writes COUNT lines "VECTOR<TAB>SCORE<TAB>SEVERITY" to stdout for
//	VERSION 3.1 or 4.0: random valid vectors from a seeded PRNG
//	(mulberry32; the same SEED gives the same vectors on every
//	machine), scored by the independent implementation, the npm
//	package ae-cvss-calculator installed in MODULE_DIR (the
//	directory holding its package.json). SCORE has one decimal, as
//	"secticket cvss" prints it; SEVERITY is the qualitative band of
//	that score (none, low, medium, high, critical).
//
//	The metric grammar below is written from the FIRST specifications,
//	never from classify/cvss.c, so that a wrong table on either side
//	shows as a mismatch. Every vector carries all base metrics. For a
//	share of them it adds a random subset of the optional metrics
//	(v3.1 temporal and environmental; v4.0 threat, environmental and
//	supplemental), X values included, and for a smaller share the
//	metrics come in shuffled order (secmilter accepts any order).
//
//	The score is the most specific one the vector describes: ae's
//	"overall" for v3.1 (environmental, else temporal, else base), and
//	for v4.0 calculateOverallScore(), the one CVSS-B/BT/BE/BTE score.
//
// DIAGNOSTICS
//	Exit 2 with a message on stderr for bad arguments, a module that
//	does not load, or a score that is not a number from 0 to 10.
'use strict';

const path = require('path');

// Metric definitions: [name, values, mandatory].
const V31 = [
	['AV', ['N', 'A', 'L', 'P'], true],
	['AC', ['L', 'H'], true],
	['PR', ['N', 'L', 'H'], true],
	['UI', ['N', 'R'], true],
	['S', ['U', 'C'], true],
	['C', ['H', 'L', 'N'], true],
	['I', ['H', 'L', 'N'], true],
	['A', ['H', 'L', 'N'], true],
	['E', ['X', 'U', 'P', 'F', 'H'], false],
	['RL', ['X', 'O', 'T', 'W', 'U'], false],
	['RC', ['X', 'U', 'R', 'C'], false],
	['CR', ['X', 'L', 'M', 'H'], false],
	['IR', ['X', 'L', 'M', 'H'], false],
	['AR', ['X', 'L', 'M', 'H'], false],
	['MAV', ['X', 'N', 'A', 'L', 'P'], false],
	['MAC', ['X', 'L', 'H'], false],
	['MPR', ['X', 'N', 'L', 'H'], false],
	['MUI', ['X', 'N', 'R'], false],
	['MS', ['X', 'U', 'C'], false],
	['MC', ['X', 'N', 'L', 'H'], false],
	['MI', ['X', 'N', 'L', 'H'], false],
	['MA', ['X', 'N', 'L', 'H'], false],
];

const V40 = [
	['AV', ['N', 'A', 'L', 'P'], true],
	['AC', ['L', 'H'], true],
	['AT', ['N', 'P'], true],
	['PR', ['N', 'L', 'H'], true],
	['UI', ['N', 'P', 'A'], true],
	['VC', ['H', 'L', 'N'], true],
	['VI', ['H', 'L', 'N'], true],
	['VA', ['H', 'L', 'N'], true],
	['SC', ['H', 'L', 'N'], true],
	['SI', ['H', 'L', 'N'], true],
	['SA', ['H', 'L', 'N'], true],
	['E', ['X', 'A', 'P', 'U'], false],
	['CR', ['X', 'H', 'M', 'L'], false],
	['IR', ['X', 'H', 'M', 'L'], false],
	['AR', ['X', 'H', 'M', 'L'], false],
	['MAV', ['X', 'N', 'A', 'L', 'P'], false],
	['MAC', ['X', 'L', 'H'], false],
	['MAT', ['X', 'N', 'P'], false],
	['MPR', ['X', 'N', 'L', 'H'], false],
	['MUI', ['X', 'N', 'P', 'A'], false],
	['MVC', ['X', 'H', 'L', 'N'], false],
	['MVI', ['X', 'H', 'L', 'N'], false],
	['MVA', ['X', 'H', 'L', 'N'], false],
	['MSC', ['X', 'H', 'L', 'N'], false],
	['MSI', ['X', 'S', 'H', 'L', 'N'], false],
	['MSA', ['X', 'S', 'H', 'L', 'N'], false],
	['S', ['X', 'N', 'P'], false],
	['AU', ['X', 'N', 'Y'], false],
	['R', ['X', 'A', 'U', 'I'], false],
	['V', ['X', 'D', 'C'], false],
	['RE', ['X', 'L', 'M', 'H'], false],
	['U', ['X', 'Clear', 'Green', 'Amber', 'Red'], false],
];

// Shares of the vectors: base metrics only, and shuffled order.
const BASE_ONLY_SHARE = 0.4;
const SHUFFLE_SHARE = 0.1;

function die(msg) {
	process.stderr.write('cvss_random.js: ' + msg + '\n');
	process.exit(2);
}

// mulberry32 - a small 32-bit PRNG, uniform in [0, 1)
function mulberry32(seed) {
	let a = seed >>> 0;
	return function () {
		a = (a + 0x6D2B79F5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function severity(score) {
	const tenths = Math.round(score * 10);
	if (tenths <= 0)
		return 'none';
	if (tenths <= 39)
		return 'low';
	if (tenths <= 69)
		return 'medium';
	if (tenths <= 89)
		return 'high';
	return 'critical';
}

function randomVector(defs, prefix, rnd) {
	const pick = (a) => a[Math.floor(rnd() * a.length)];
	const baseOnly = rnd() < BASE_ONLY_SHARE;
	// Each optional metric is in with a probability of its own, so that
	// vectors with one, several and almost all of them all occur.
	const density = rnd();
	const parts = [];

	for (const [name, values, mandatory] of defs) {
		if (mandatory || (!baseOnly && rnd() < density))
			parts.push(name + ':' + pick(values));
	}
	if (rnd() < SHUFFLE_SHARE) {
		for (let i = parts.length - 1; i > 0; i--) {
			const j = Math.floor(rnd() * (i + 1));
			[parts[i], parts[j]] = [parts[j], parts[i]];
		}
	}
	return prefix + parts.join('/');
}

function main() {
	const [moduleDir, version, seedArg, countArg] = process.argv.slice(2);
	let ae;

	if (countArg === undefined)
		die('usage: node cvss_random.js MODULE_DIR VERSION SEED COUNT');
	const seed = Number(seedArg);
	const count = Number(countArg);
	if (!Number.isInteger(seed) || seed < 0 || seed > 0xFFFFFFFF)
		die('bad seed: ' + seedArg);
	if (!Number.isInteger(count) || count < 1)
		die('bad count: ' + countArg);
	try {
		ae = require(path.resolve(moduleDir));
	} catch (e) {
		die('cannot load ae-cvss-calculator from ' + moduleDir + ': ' + e.message);
	}

	let defs, prefix, score;
	if (version === '3.1') {
		defs = V31;
		prefix = 'CVSS:3.1/';
		score = (v) => new ae.Cvss3P1(v).calculateScores().overall;
	} else if (version === '4.0') {
		defs = V40;
		prefix = 'CVSS:4.0/';
		// calculateScores() also works out the threat-only and
		// environmental-only scores: four times slower, same overall.
		score = (v) => new ae.Cvss4P0(v).calculateOverallScore();
	} else {
		die('bad version: ' + version + ' (3.1 or 4.0)');
	}

	const rnd = mulberry32(seed);
	const out = [];
	for (let i = 0; i < count; i++) {
		const v = randomVector(defs, prefix, rnd);
		const s = score(v);
		if (typeof s !== 'number' || !(s >= 0 && s <= 10))
			die('ae-cvss-calculator gave no score for ' + v + ': ' + s);
		out.push(v + '\t' + s.toFixed(1) + '\t' + severity(s));
	}
	process.stdout.write(out.join('\n') + '\n');
}

main();
