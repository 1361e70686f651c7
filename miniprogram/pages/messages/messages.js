// Messages in the chosen language (the server renders them); each page seen is marked read, so the badge on home
// counts only what is still unread.
const screen = require('../../lib/screen.js')
const {post} = require('../../lib/request.js')
const {when} = require('../../lib/format.js')

Component({
  behaviors: [screen],
  methods: {
    onLoad() { this.title('nav.messages') },
    onShow() { return this.guard(() => this.list('messages', '/messages', (m) => ({id: m.id, text: m.text, at: when(m.at), read: m.read})).then(this.markRead.bind(this))) },
    more() { return this.guard(() => this.loadMore('messages').then(this.markRead.bind(this))) },
    async markRead(items) {
      const ids = items.filter((m) => !m.read).map((m) => m.id)
      if (ids.length) await post('/messages/read', {ids})
    },
  },
})
