package kiosk

import (
	"fmt"
	"slices"
)

// Languages the kiosk speaks, by BCP 47 tag, in the order the switch shows
// them. Every tag has every message (TestCatalogsComplete).
var Languages = []string{"en", "zh-Hans"}

// languageNames are the languages' names in themselves, for the switch.
var languageNames = map[string]string{"en": "English", "zh-Hans": "简体中文"}

// catalogs holds every message the screens show, per language. Contest and
// option titles come from the manifest, in the commission's language.
var catalogs = map[string]map[string]string{
	"en": {
		"app_title":          "Polling place kiosk",
		"skip":               "Skip to the main content",
		"language":           "Language",
		"welcome_heading":    "Welcome",
		"welcome_intro":      "Enter the credential code from your letter, or scan its QR code.",
		"code_label":         "Credential code",
		"code_hint":          "27 characters, for example C5Q20-SBRC5-PQ0V3-541HP-YS354-43. Dashes and spaces do not matter.",
		"start":              "Start",
		"not_open_heading":   "The election is not open",
		"not_open_text":      "Voting has not started yet. Please ask the polling station staff.",
		"closed_heading":     "Voting has closed",
		"closed_text":        "This election no longer takes ballots.",
		"ballot_heading":     "Your ballot",
		"ballot_intro":       "Choose in each contest. Nothing is sent until you cast.",
		"choose_one":         "Choose 1.",
		"choose_exactly":     "Choose exactly %d.",
		"choose_up_to":       "Choose up to %d.",
		"choose_between":     "Choose %d to %d.",
		"chosen_count":       "%d of %d chosen.",
		"limit_reached":      "You have chosen the most options allowed in this contest.",
		"review":             "Review my choices",
		"review_heading":     "Check your choices",
		"review_intro":       "Your ballot is encrypted on this kiosk. Its tracker is shown below: note the first characters.",
		"none":               "(no choice)",
		"tracker":            "Tracker",
		"cast":               "Cast my ballot",
		"challenge":          "Challenge: check the encryption",
		"challenge_explain":  "A challenged ballot is opened in public and never counts: any other device can then check that it held your choices. You vote again afterwards.",
		"change":             "Change my choices",
		"done_heading":       "Your ballot is cast",
		"done_text":          "Thank you for voting. Keep the tracker, or photograph the QR code of your receipt, to check later that your ballot is on the board.",
		"receipt_qr":         "QR code of your receipt",
		"receipt_node":       "Receipt signed by board node %s, log index %d.",
		"queued_heading":     "Your ballot is saved on this kiosk",
		"queued_text":        "No board node answered. Your ballot is kept on this kiosk and will be submitted as soon as a node is back. Your receipt says it was queued.",
		"reset_notice":       "This screen clears itself in %d seconds.",
		"finish":             "Finish",
		"challenged_heading": "Your ballot was challenged",
		"challenged_text":    "It has been opened on the board and will not count. The choices it encrypted:",
		"challenged_audit":   "On another device, check the challenged ballot with its tracker:",
		"challenged_queued":  "No board node answered: the challenged ballot is kept on this kiosk and will be posted when a node is back.",
		"vote_again":         "Vote again",
		"err_code_checksum":  "The code has a typing mistake: please check every character.",
		"err_code_char":      "Character %d (%q) is not used in credential codes.",
		"err_code_length":    "The code must have 27 characters.",
		"err_code_invalid":   "This is not a credential code.",
		"err_not_eligible":   "This credential is not valid for this election.",
		"err_too_many":       "%s: at most %d allowed, you chose %d.",
		"err_too_few":        "%s: at least %d required, you chose %d.",
		"err_bad_choice":     "The ballot form was changed: please choose again.",
		"err_expired":        "Your session ended. Please start again.",
		"err_internal":       "Something went wrong on this kiosk. Please ask the polling station staff.",
		"err_closed":         "Voting has closed: the ballot was not cast.",
	},
	"zh-Hans": {
		"app_title":          "投票站自助终端",
		"skip":               "跳至主要内容",
		"language":           "语言",
		"welcome_heading":    "欢迎",
		"welcome_intro":      "请输入选民通知信上的凭证码，或扫描其二维码。",
		"code_label":         "凭证码",
		"code_hint":          "共 27 个字符，例如 C5Q20-SBRC5-PQ0V3-541HP-YS354-43。短横线和空格可有可无。",
		"start":              "开始",
		"not_open_heading":   "选举尚未开始",
		"not_open_text":      "投票尚未开始，请咨询投票站工作人员。",
		"closed_heading":     "投票已结束",
		"closed_text":        "本次选举已不再接受选票。",
		"ballot_heading":     "您的选票",
		"ballot_intro":       "请在每一项中作出选择。在您投出之前，不会发送任何内容。",
		"choose_one":         "请选 1 项。",
		"choose_exactly":     "请恰好选 %d 项。",
		"choose_up_to":       "最多可选 %d 项。",
		"choose_between":     "请选 %d 至 %d 项。",
		"chosen_count":       "已选 %d 项，最多可选 %d 项。",
		"limit_reached":      "您在此项中已达到可选数量上限。",
		"review":             "核对我的选择",
		"review_heading":     "请核对您的选择",
		"review_intro":       "您的选票已在本终端加密。其追踪码显示如下：请记下开头几个字符。",
		"none":               "（未选择）",
		"tracker":            "追踪码",
		"cast":               "投出我的选票",
		"challenge":          "质询：检查加密是否正确",
		"challenge_explain":  "被质询的选票会公开解密且不计票：任何其他设备都可以核对它是否包含您的选择。之后您需重新投票。",
		"change":             "修改我的选择",
		"done_heading":       "您的选票已投出",
		"done_text":          "感谢您参与投票。请保存追踪码，或拍下回执的二维码，以便日后核对您的选票已在公告板上。",
		"receipt_qr":         "您的回执二维码",
		"receipt_node":       "回执由公告板节点 %s 签署，日志序号 %d。",
		"queued_heading":     "您的选票已保存在本终端",
		"queued_text":        "没有公告板节点应答。您的选票已保存在本终端，一旦有节点恢复将立即提交。您的回执注明了它已排队等待提交。",
		"reset_notice":       "本页面将在 %d 秒后自动清除。",
		"finish":             "完成",
		"challenged_heading": "您的选票已被质询",
		"challenged_text":    "它已在公告板上公开解密，不会计票。它所加密的选择是：",
		"challenged_audit":   "请在另一台设备上用追踪码核对这张被质询的选票：",
		"challenged_queued":  "没有公告板节点应答：被质询的选票已保存在本终端，一旦有节点恢复将立即发布。",
		"vote_again":         "重新投票",
		"err_code_checksum":  "凭证码有输入错误，请逐个核对字符。",
		"err_code_char":      "第 %d 个字符（%q）不会出现在凭证码中。",
		"err_code_length":    "凭证码必须为 27 个字符。",
		"err_code_invalid":   "这不是凭证码。",
		"err_not_eligible":   "此凭证不适用于本次选举。",
		"err_too_many":       "%s：最多可选 %d 项，您选了 %d 项。",
		"err_too_few":        "%s：至少须选 %d 项，您选了 %d 项。",
		"err_bad_choice":     "选票表单已被更改，请重新选择。",
		"err_expired":        "您的会话已结束，请重新开始。",
		"err_internal":       "本终端出现故障，请咨询投票站工作人员。",
		"err_closed":         "投票已结束：选票未能投出。",
	},
}

// supported reports whether lang is one of Languages.
func supported(lang string) bool { return slices.Contains(Languages, lang) }

// tr returns message key in lang, formatted with args. A missing message
// shows its key, which TestCatalogsComplete makes impossible.
func tr(lang, key string, args ...any) string {
	m, ok := catalogs[lang][key]
	if !ok {
		m, ok = catalogs["en"][key]
	}
	if !ok {
		return key
	}
	if len(args) == 0 {
		return m
	}
	return fmt.Sprintf(m, args...)
}
