// A QR code encoder of our own (ISO/IEC 18004, after Project Nayuki's public description): byte mode, error
// correction level M, the smallest version 1–40 that holds the text, the mask with the lowest penalty. The phone draws
// what it shows from the payload (an opaque string: never parsed here), with no network and no library.
const ECC_PER_BLOCK = [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28,
  28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28]
const BLOCKS = [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28,
  29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49]
const FORMAT_M = 0   // level M's two format bits

const bit = (x, i) => ((x >>> i) & 1) !== 0

function utf8(text) {
  const out = []
  for (const ch of String(text)) {
    let c = ch.codePointAt(0)
    if (c < 0x80) out.push(c)
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63))
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63))
  }
  return out
}

function rawModules(ver) {
  let n = (16 * ver + 128) * ver + 64
  if (ver >= 2) { const a = Math.floor(ver / 7) + 2; n -= (25 * a - 10) * a - 55; if (ver >= 7) n -= 36 }
  return n
}
const dataCodewords = (ver) => Math.floor(rawModules(ver) / 8) - ECC_PER_BLOCK[ver] * BLOCKS[ver]

// Reed–Solomon over GF(256) with the polynomial 0x11D.
function mul(x, y) {
  let z = 0
  for (let i = 7; i >= 0; i--) { z = (z << 1) ^ ((z >>> 7) * 0x11d); z ^= ((y >>> i) & 1) * x }
  return z
}
function divisor(degree) {
  const r = new Array(degree).fill(0)
  r[degree - 1] = 1
  let root = 1
  for (let i = 0; i < degree; i++) {
    for (let j = 0; j < r.length; j++) { r[j] = mul(r[j], root); if (j + 1 < r.length) r[j] ^= r[j + 1] }
    root = mul(root, 0x02)
  }
  return r
}
function remainder(data, div) {
  const r = div.map(() => 0)
  for (const b of data) {
    const f = b ^ r.shift()
    r.push(0)
    div.forEach((c, i) => { r[i] ^= mul(c, f) })
  }
  return r
}

// The codewords of the text, error correction added and blocks interleaved.
function codewords(bytes, ver) {
  const bits = []
  const put = (val, len) => { for (let i = len - 1; i >= 0; i--) bits.push((val >>> i) & 1) }
  put(4, 4); put(bytes.length, ver <= 9 ? 8 : 16); bytes.forEach((b) => put(b, 8))
  const capacity = dataCodewords(ver) * 8
  put(0, Math.min(4, capacity - bits.length))
  put(0, (8 - bits.length % 8) % 8)
  for (let pad = 0xec; bits.length < capacity; pad ^= 0xec ^ 0x11) put(pad, 8)
  const data = []
  for (let i = 0; i < bits.length; i += 8) data.push(parseInt(bits.slice(i, i + 8).join(''), 2))
  const n = BLOCKS[ver]; const eccLen = ECC_PER_BLOCK[ver]; const raw = Math.floor(rawModules(ver) / 8)
  const short = n - raw % n; const shortLen = Math.floor(raw / n); const div = divisor(eccLen)
  const blocks = []
  for (let i = 0, k = 0; i < n; i++) {
    const dat = data.slice(k, k + shortLen - eccLen + (i < short ? 0 : 1))
    k += dat.length
    const ecc = remainder(dat, div)
    if (i < short) dat.push(0)
    blocks.push(dat.concat(ecc))
  }
  const out = []
  for (let i = 0; i < blocks[0].length; i++) {
    blocks.forEach((b, j) => { if (i !== shortLen - eccLen || j >= short) out.push(b[i]) })
  }
  return out
}

function alignments(ver, size) {
  if (ver === 1) return []
  const n = Math.floor(ver / 7) + 2
  const step = ver === 32 ? 26 : Math.ceil((ver * 4 + 4) / (n * 2 - 2)) * 2
  const r = [6]
  for (let pos = size - 7; r.length < n; pos -= step) r.splice(1, 0, pos)
  return r
}

const MASKS = [(x, y) => (x + y) % 2 === 0, (x, y) => y % 2 === 0, (x) => x % 3 === 0, (x, y) => (x + y) % 3 === 0,
  (x, y) => (Math.floor(x / 3) + Math.floor(y / 2)) % 2 === 0, (x, y) => x * y % 2 + x * y % 3 === 0,
  (x, y) => (x * y % 2 + x * y % 3) % 2 === 0, (x, y) => ((x + y) % 2 + x * y % 3) % 2 === 0]

function build(ver, words, mask) {
  const size = ver * 4 + 17
  const m = Array.from({length: size}, () => new Array(size).fill(false))
  const fixed = Array.from({length: size}, () => new Array(size).fill(false))
  const set = (x, y, dark) => { m[y][x] = dark; fixed[y][x] = true }
  for (let i = 0; i < size; i++) { set(6, i, i % 2 === 0); set(i, 6, i % 2 === 0) }
  for (const [cx, cy] of [[3, 3], [size - 4, 3], [3, size - 4]]) {
    for (let dy = -4; dy <= 4; dy++) for (let dx = -4; dx <= 4; dx++) {
      const d = Math.max(Math.abs(dx), Math.abs(dy)); const x = cx + dx; const y = cy + dy
      if (x >= 0 && x < size && y >= 0 && y < size) set(x, y, d !== 2 && d !== 4)
    }
  }
  const al = alignments(ver, size)
  al.forEach((ax, i) => al.forEach((ay, j) => {
    if ((i === 0 && j === 0) || (i === 0 && j === al.length - 1) || (i === al.length - 1 && j === 0)) return
    for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) set(ax + dx, ay + dy, Math.max(Math.abs(dx), Math.abs(dy)) !== 1)
  }))
  const format = (() => {
    const data = (FORMAT_M << 3) | mask
    let rem = data
    for (let i = 0; i < 10; i++) rem = (rem << 1) ^ ((rem >>> 9) * 0x537)
    return ((data << 10) | rem) ^ 0x5412
  })()
  for (let i = 0; i <= 5; i++) set(8, i, bit(format, i))
  set(8, 7, bit(format, 6)); set(8, 8, bit(format, 7)); set(7, 8, bit(format, 8))
  for (let i = 9; i < 15; i++) set(14 - i, 8, bit(format, i))
  for (let i = 0; i < 8; i++) set(size - 1 - i, 8, bit(format, i))
  for (let i = 8; i < 15; i++) set(8, size - 15 + i, bit(format, i))
  set(8, size - 8, true)
  if (ver >= 7) {
    let rem = ver
    for (let i = 0; i < 12; i++) rem = (rem << 1) ^ ((rem >>> 11) * 0x1f25)
    const bits = (ver << 12) | rem
    for (let i = 0; i < 18; i++) { const a = size - 11 + i % 3; const b = Math.floor(i / 3); set(a, b, bit(bits, i)); set(b, a, bit(bits, i)) }
  }
  let i = 0
  for (let right = size - 1; right >= 1; right -= 2) {
    if (right === 6) right = 5
    for (let v = 0; v < size; v++) {
      for (let j = 0; j < 2; j++) {
        const x = right - j; const y = ((right + 1) & 2) === 0 ? size - 1 - v : v
        if (!fixed[y][x] && i < words.length * 8) { m[y][x] = bit(words[i >>> 3], 7 - (i & 7)); i++ }
      }
    }
  }
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (!fixed[y][x] && MASKS[mask](x, y)) m[y][x] = !m[y][x]
  return m
}

// The standard's four penalty rules: runs, 2×2 blocks, finder-like patterns, dark/light balance.
function penalty(m) {
  const size = m.length
  const lines = m.concat(m.map((_, x) => m.map((row) => row[x])))
  let p = 0
  const finder = /(?=10111010000|00001011101)/g
  for (const line of lines) {
    let run = 1
    for (let i = 1; i <= size; i++) {
      if (i < size && line[i] === line[i - 1]) run++
      else { if (run >= 5) p += run - 2; run = 1 }
    }
    p += 40 * (line.map(Number).join('').match(finder) || []).length
  }
  for (let y = 0; y < size - 1; y++) for (let x = 0; x < size - 1; x++) {
    const c = m[y][x]
    if (c === m[y][x + 1] && c === m[y + 1][x] && c === m[y + 1][x + 1]) p += 3
  }
  const dark = m.reduce((s, row) => s + row.filter(Boolean).length, 0)
  p += 10 * Math.floor(Math.abs(dark * 20 - size * size * 10) / (size * size))
  return p
}

// The modules (rows of booleans, true = dark) of a QR code of `text`; `mask` (0–7) forces one, for tests.
function encode(text, mask) {
  const bytes = utf8(text)
  let ver = 1
  while (ver <= 40 && 4 + (ver <= 9 ? 8 : 16) + bytes.length * 8 > dataCodewords(ver) * 8) ver++
  if (ver > 40) throw new Error('too long for a QR code')
  const words = codewords(bytes, ver)
  if (mask !== undefined) return build(ver, words, mask)
  let best = null; let bestPenalty = Infinity
  for (let k = 0; k < 8; k++) {
    const m = build(ver, words, k); const pen = penalty(m)
    if (pen < bestPenalty) { best = m; bestPenalty = pen }
  }
  return best
}

module.exports = {encode}
