package antre

// The words of the page code the hub's pages share (internal/webui/static/live.js), as the
// catalogue's "live." entries; a page takes them with its own, /static/texts.js?page=NAME,live.
var liveTexts = Messages{
	// live.unreachable is what a request the page sends says when the hub does not answer: the
	// hub's own MsgUnreachable, worded once.
	"live.unreachable": hubMessages[MsgUnreachable],
}
