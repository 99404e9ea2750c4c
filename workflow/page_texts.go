package workflow

import "antre"

// pageTexts are the words of the module's pages, served to them by /static/texts.js?page=workflow
// (keys without "workflow."). [Indonesian, English]
var pageTexts = antre.Messages{}
