// A QR code drawn on the phone as a grid of cells, from the text it is given (lib/qr.js); nothing is fetched.
const {encode} = require('../../lib/qr.js')

const WIDTH_RPX = 520

Component({
  properties: {
    text: {type: String, value: '', observer: 'draw'},
    label: {type: String, value: ''},
  },
  data: {rows: [], cell: 0},
  lifetimes: {attached() { this.draw() }},
  methods: {
    draw() {
      const text = this.data.text
      if (!text) return this.setData({rows: [], cell: 0})
      const rows = encode(text).map((row) => row.map((dark) => (dark ? 1 : 0)))
      return this.setData({rows, cell: Math.max(4, Math.floor(WIDTH_RPX / (rows.length + 8)))})
    },
  },
})
