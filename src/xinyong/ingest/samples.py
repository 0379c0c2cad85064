"""Realistic names for demo data and benchmarks (Shennongjia and its neighbours)."""

import random

PLACES = (
    "神农架 松柏 阳日 木鱼 红坪 新华 宋洛 九湖 大九湖 下谷 房县 兴山 巴东 宜昌 十堰 武汉".split()
)
WORDS = "林海 山泉 天成 华康 鑫源 金叶 绿野 神农 百草 云峰 恒通 顺达 腾飞 汇丰 瑞祥 宏远 嘉禾 青山 碧水 茂源".split()
TRADES = "商贸 旅游开发 农业科技 建筑工程 餐饮管理 中药材 酒店管理 运输 食品 茶业 蜂业 矿业 电子商务 物业服务 文化传媒".split()
FORMS = "有限公司 有限责任公司 股份有限公司 农民专业合作社 经营部 商行".split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志斌春梅"
# USCC registration department + category for each legal form (GB 32100-2015).
PREFIX_BY_FORM = {"农民专业合作社": "93", "经营部": "92", "商行": "92"}


def company_name(rng: random.Random, forms: list[str] = FORMS) -> tuple[str, str]:
    """A company name and the USCC prefix (department + category) of its form."""
    form = rng.choice(forms)
    name = f"{rng.choice(PLACES)}{rng.choice(WORDS)}{rng.choice(WORDS)}{rng.choice(TRADES)}{form}"
    return name, PREFIX_BY_FORM.get(form, "91")


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
