// What differs between deployments. A build for another server may set these in ext.json's extJson instead
// (wx.getExtConfigSync), which wins over the values here.
module.exports = {
  baseUrl: 'https://gongji.example.cn',   // PUBLIC_BASE_URL of the server; allow it as the request domain
  // WeChat subscribe-message templates (the server's WECHAT_TEMPLATE_IDS, kind=template_id), applied for in
  // the mini-program's console; the kinds the dialog offers after inviting and after accepting.
  templates: {
    aid_paid: 'TPL_AID_PAID',
    invitation_accepted: 'TPL_INVITATION_ACCEPTED',
    binding_ended: 'TPL_BINDING_ENDED',
    premium_paid: 'TPL_PREMIUM_PAID',
    voucher_by_proxy: 'TPL_VOUCHER_BY_PROXY',
  },
  subscribeAfter: {
    inviting: ['invitation_accepted', 'aid_paid', 'binding_ended'],
    accepting: ['binding_ended', 'premium_paid', 'voucher_by_proxy'],
  },
  tibetanFont: '/static/fonts/TibetanMachineUni-gongji.woff2',
}
