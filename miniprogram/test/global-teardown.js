module.exports = () => require('./server.js').stop()
