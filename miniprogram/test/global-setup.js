module.exports = () => require('./server.js').start()
