"""Demo articles of the portal (信用动态, 政策法规, 诚信宣传). Idempotent: an
article is found again by its section and title."""

import datetime as dt

from django.core.management.base import OutputWrapper

from xinyong.core import clock
from xinyong.core.models import Tag
from xinyong.portal.models import Article

ARTICLES = [
    (
        Article.Section.NEWS,
        "林区召开社会信用体系建设工作推进会",
        "林区社会信用体系建设领导小组办公室",
        "会议通报了上半年双公示数据报送情况，部署下一阶段工作。",
        "会议通报了上半年各部门行政许可、行政处罚信息（双公示）报送情况。\n\n"
        "## 下一阶段重点\n"
        "- 双公示信息在作出决定之日起7个工作日内上网公开；\n"
        "- 推进存量代码转换，重错码率控制在1%以内；\n"
        "- 做好信用修复和异议处理，保障信用主体合法权益。\n\n"
        "会议要求各成员单位明确专人负责，按时、准确报送信用信息。",
        0,
    ),
    (
        Article.Section.NEWS,
        "“信用神农架”门户网站上线试运行",
        "林区社会信用体系建设领导小组办公室",
        "公众可在网站查询信用主体、双公示信息和信用政策。",
        "“信用神农架”门户网站即日起上线试运行。\n\n"
        "公众可通过名称、统一社会信用代码或旧的工商注册号、组织机构代码查询法人和其他组织的公示信息，"
        "浏览行政许可、行政处罚公示，下载公开数据。\n\n"
        "自然人信息不提供按姓名查询；行政处罚中的自然人姓名按规定遮蔽显示。",
        3,
    ),
    (
        Article.Section.POLICY,
        "信用修复管理办法（国家发展改革委令第36号）要点",
        "国家发展和改革委员会",
        "2026年4月1日起施行，失信信息按轻微、一般、严重分级确定公示期限。",
        "《信用修复管理办法》自2026年4月1日起施行，《失信行为纠正后的信用信息修复管理办法（试行）》同时废止。\n\n"
        "## 公示期限\n"
        "- 轻微失信信息：原则上不公示，确需公示的最长3个月；\n"
        "- 一般失信信息：最短3个月，最长1年；\n"
        "- 严重失信信息：最短1年，最长3年。\n\n"
        "公示期限自作出处罚决定之日起计算；法律法规另有规定的，从其规定。期满后自动停止公示。",
        10,
    ),
    (
        Article.Section.POLICY,
        "关于进一步完善“双公示”工作的要求",
        "林区社会信用体系建设领导小组办公室",
        "行政许可和行政处罚信息自作出决定之日起7个工作日内上网公开。",
        "依据发改办财金〔2018〕424号文件，"
        "行政许可、行政处罚信息自作出行政决定之日起7个工作日内上网公开（工作日不含法定节假日）。\n\n"
        "依据《中华人民共和国行政处罚法》第四十八条，公开的行政处罚决定被依法变更、撤销、确认违法或者确认无效的，"
        "应当在3日内撤回行政处罚决定信息并公开说明理由。",
        20,
    ),
    (
        Article.Section.EDUCATION,
        "诚信经营，从按时公示年度报告做起",
        "林区市场监督管理局",
        "企业应在每年1月1日至6月30日报送上一年度年度报告。",
        "企业应当于每年1月1日至6月30日，通过国家企业信用信息公示系统报送上一年度年度报告，并向社会公示。\n\n"
        "未按规定期限公示年度报告的，将被列入经营异常名录。诚信经营，从按时公示年度报告做起。",
        5,
    ),
    (
        Article.Section.EDUCATION,
        "信用承诺：一诺千金的现代治理方式",
        "林区社会信用体系建设领导小组办公室",
        "告知承诺制让守信者办事更便利。",
        "在办理行政许可等事项时，申请人作出书面信用承诺，可以替代部分证明材料。\n\n"
        "承诺的履行情况将记入信用记录；虚假承诺属于失信信息，将依法公示。",
        8,
    ),
]


# The credit office's tags of the demo articles, by title (the shared vocabulary:
# sanctions' demo tags its published case 失信惩戒 too).
TAGS = {
    "林区召开社会信用体系建设工作推进会": ["双公示", "失信惩戒", "政务诚信"],
    "“信用神农架”门户网站上线试运行": ["双公示"],
    "信用修复管理办法（国家发展改革委令第36号）要点": ["信用修复"],
    "关于进一步完善“双公示”工作的要求": ["双公示", "政务诚信"],
    "诚信经营，从按时公示年度报告做起": ["守信激励"],
    "信用承诺：一诺千金的现代治理方式": ["守信激励", "信用修复"],
}


def load(*, seed: int, stdout: OutputWrapper) -> None:
    now = clock.now()
    created = 0
    for section, title, source, summary, body, days_ago in ARTICLES:
        article, was_created = Article.objects.get_or_create(
            section=section,
            title=title,
            defaults={
                "source": source,
                "summary": summary,
                "body": body,
                "published_at": now - dt.timedelta(days=days_ago),
                "is_published": True,
            },
        )
        created += was_created
        if not article.tags.exists():
            article.tags.set(
                [Tag.objects.get_or_create(name=name)[0] for name in TAGS.get(title, [])]
            )
    stdout.write(f"门户文章 {len(ARTICLES)} 篇（新建 {created} 篇）。")
