"""Synthetic problem texts whose words have realistic frequencies, and their search words.

A search is only as hard as the frequency of its words: a word in half the problems makes
the index hand over half a province, a word in one problem of a thousand makes a scan of the
scope look for a needle. The titles and details of `bench.synth` are few and repeat (their
words are common); half the descriptions add one more sentence drawn from `REMARKS` with
Zipf weights, so its words run from a few percent of all problems down to a few in ten
thousand. The draw has its own random stream, so the other columns stay as a seed made them
before the texts were varied.
"""

from __future__ import annotations

import itertools
import random

from ducha.core.search import MAX_STORED_WORDS, stored_words

# Share of descriptions that carry a remark.
REMARK_SHARE = 0.5
# Zipf exponent of the remarks' weights, by rank.
ZIPF = 1.1

# Ordered from the most to the least frequent (weights fall with the rank).
REMARKS = [
    "群众对此意见较大。",
    "相关部门之间推诿扯皮。",
    "负责人表示将立即整改。",
    "属地乡镇未履行属地责任。",
    "网格员未按要求入户排查。",
    "健康码查验只看不扫。",
    "发热患者信息未及时推送社区。",
    "核酸检测点排队未落实一米线。",
    "场所码张贴位置不醒目。",
    "防控物资储备不足三天用量。",
    "值班电话无人接听。",
    "应急预案未组织演练。",
    "冷链食品进货查验记录缺失。",
    "外卖快递人员未定期核酸检测。",
    "返乡人员底数不清。",
    "居家隔离人员管控措施落实不严。",
    "集中隔离点转运车辆未及时消杀。",
    "医疗废物未分类收集暂存。",
    "养老机构探视管理不严。",
    "建筑工地务工人员未实名登记。",
    "校外培训机构违规开展线下培训。",
    "宗教活动场所未暂停聚集性活动。",
    "客运站旅客未查验行程码。",
    "网约车司机未佩戴口罩。",
    "12345热线转办件逾期未办结。",
    "血液透析患者就医通道不畅。",
    "特殊群体帮扶台账未建立。",
    "规上工业企业复工复产手续不全。",
    "惠企资金拨付进度滞后。",
    "纪委监委约谈后仍未整改到位。",
    "问题清单销号把关不严。",
    "回头看发现屡查屡犯。",
    "举一反三排查同类场所不到位。",
    "四不两直暗访发现值守空档。",
    "抗原试剂发放登记不全。",
    "进口货物外包装未做消毒处理。",
    "农村集市未采取分流措施。",
    "婚丧嫁娶未报备即操办。",
    "物业公司未配合社区开展排查。",
    "电梯按钮未定时擦拭消毒。",
    "公共厕所保洁频次不够。",
    "水产批发市场环境样本未送检。",
    "跨省货车司机闭环管理存在漏洞。",
    "方舱医院物资调拨记录不清。",
    "预检分诊护士未接受专项培训。",
    "疫苗接种留观区面积不足。",
    "口岸城市入境人员健康监测不到位。",
    "高速公路服务区未设置查验点。",
]


class Texts:
    """Draws the remarks and turns texts into their search words, cached per sentence.

    jieba never joins words across a "。", so the words of a description are those of its
    sentences in turn: caching each sentence's words gives what `stored_words` of the whole
    would, at a thousandth of the cost (the sentences repeat, the combinations do not).
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.weights = list(
            itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in range(len(REMARKS)))
        )
        self.cache: dict[str, tuple[str, ...]] = {}

    def remark(self) -> str:
        if self.rng.random() >= REMARK_SHARE:
            return ""
        return self.rng.choices(REMARKS, cum_weights=self.weights)[0]

    def _sentence(self, sentence: str) -> tuple[str, ...]:
        found = self.cache.get(sentence)
        if found is None:
            found = self.cache[sentence] = tuple(stored_words(sentence).split())
        return found

    def words(self, *texts: str) -> str:
        """`stored_words(*texts)`, sentence by sentence."""
        seen: dict[str, None] = {}
        for text in texts:
            for sentence in text.replace("。", "。\n").splitlines():
                for word in self._sentence(sentence):
                    seen.setdefault(word, None)
        return " ".join(list(seen)[:MAX_STORED_WORDS])
