"""The demo city's catalogue of problem kinds: the one table every demo problem is drawn from.

A field kind is a checklist item of one site type: what the inspector checks, the 测评标准 it
proves, who leads the fix, the photo motif, and how the problem reads when it is found. Demo
tasks, inspection findings, checklist items, evidence photos and the responsibility matrix are all
built from these lines, so a parking problem cannot end up under 明码标价 or with a photo of a
flower bed.

Lead (牵头) follows 属地管理为主、行业监管为辅: ``属地`` kinds are led by the place where the site
lies (the matrix marks their standard 属地, so routing proposes the site's street, or its community
for a community's own site, or the unit a 包保 record names); any other value names the trade
department (行业主管部门) that leads wherever the site lies (a 行业 row).

Field lines, per site type: ``[*]检查内容|标准代码|牵头|照片主题|问题描述；问题描述…`` (a leading
``*`` marks a 2-point item). Material kinds (材料审核, no site): ``标准代码|牵头|问题描述；…``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

PLACE = "属地"
# The office works inside the 文明办 (市委宣传部): neither it nor the office ever leads a task.
OFFICE_HOST = "市文明办"

# Photo motif → (caption of the problem photo, caption of the photo after the fix).
MOTIFS: dict[str, tuple[str, str]] = {
    "litter": ("地面垃圾未清扫", "地面干净整洁"),
    "bin": ("垃圾收集点脏乱", "垃圾收集点整洁"),
    "stall": ("占道经营", "摊点已清理"),
    "parking": ("机动车乱停放", "车辆停放有序"),
    "bikes": ("非机动车停放无序", "非机动车停放整齐"),
    "ads": ("乱贴乱画", "墙面杆体已清理"),
    "signboard": ("招牌破损", "招牌规范完好"),
    "poster": ("公益宣传缺失破损", "公益宣传规范醒目"),
    "facility": ("设施破损", "设施已修复"),
    "drain": ("积水、排水不畅", "排水通畅"),
    "green": ("绿化缺损", "绿化已补植"),
    "water": ("水体不洁", "水体清洁"),
    "clutter": ("杂物乱堆乱放", "杂物已清理"),
    "laundry": ("沿街乱晾晒", "晾晒已规范"),
    "wires": ("线缆杂乱、飞线充电", "线缆已规整"),
    "shed": ("违章搭建", "违建已拆除"),
    "fence": ("工地围挡破损", "围挡完好"),
    "dust": ("扬尘、渣土污染", "覆盖冲洗到位"),
    "smoke": ("焚烧烟雾", "焚烧已制止"),
    "traffic": ("交通违法行为", "通行文明有序"),
    "marking": ("交通标志标线不清", "交通标志标线清晰"),
    "queue": ("秩序混乱", "秩序井然"),
    "notice": ("公示标识缺失陈旧", "公示标识已更新"),
    "service": ("服务不规范", "文明规范服务"),
    "convenience": ("便民设施缺失", "便民设施齐全"),
    "access": ("无障碍设施不畅", "无障碍设施通畅"),
    "toilet": ("公厕卫生差", "公厕干净整洁"),
    "vehicle": ("车容车貌不整", "车容整洁"),
    "smoking": ("控烟不到位", "禁烟标识醒目"),
    "fire": ("消防安全隐患", "消防隐患已消除"),
    "noise": ("噪声扰民", "音量已控制"),
    "price": ("未明码标价", "明码标价规范"),
    "pet": ("不文明养犬", "文明养犬"),
    "conduct": ("不文明行为", "文明有序"),
    "volunteer": ("志愿服务岗无人", "志愿服务岗在岗"),
    "vagrant": ("流浪乞讨人员滞留", "已救助安置"),
    "closed": ("场所未按时开放", "场所正常开放"),
    "shop": ("违规经营", "证照齐全、规范经营"),
    "market": ("市场设施不规范", "市场设施规范"),
    "safety": ("安全警示缺失", "警示标识完好"),
    "ledger": ("台账资料缺项", "台账资料已补齐"),
}

FIELD: dict[str, str] = {
    "主次干道": """
*路面干净整洁，无垃圾、积水、油污和渣土|8.1.1|属地|litter|路面有散落垃圾；人行道上垃圾未及时清扫；路面油污未清理
*无占道经营、流动摊贩和店外经营|8.2.1|属地|stall|人行道上有流动摊贩占道经营；沿街商户店外占道经营
机动车按规定停放，不占人行道、盲道|7.2.1|市城管局|parking|机动车占用人行道停放；机动车压占盲道停放
非机动车定点有序停放|7.2.2|市城管局|bikes|共享单车在人行道上堆放；电动车在盲道上乱停乱放
沿街建筑立面、公共设施无乱贴乱画|8.2.3|属地|ads|电线杆上有小广告；沿街墙面乱涂乱画
户外广告、门头招牌规范设置，无破损|8.2.2|市城管局|signboard|门头招牌破损，存在安全隐患；户外广告牌锈蚀破损
果皮箱设置合理，外观整洁，无满溢|8.1.3|属地|bin|果皮箱满溢，周边有垃圾；果皮箱破损未更换
行道树完好，绿化带无垃圾、无黄土裸露|9.2.2|市园林局|green|行道树缺株未补植；绿化带黄土裸露
交通标志、标线、信号灯完好清晰|7.3.1|市交警支队|marking|交通标线磨损不清；路口指示标志被遮挡
道路平整，井盖、护栏、路灯等设施完好|7.3.3|市城管局|facility|路面坑洼破损；窨井盖缺失松动；路边护栏倾倒未修复；路灯损坏不亮
*公益广告宣传数量充足、内容规范|1.2.1|属地|poster|沿街公益广告数量不足；公益广告内容陈旧
公益广告画面完整，无破损、褪色|1.2.2|属地|poster|公益广告画面破损褪色
非机动车在非机动车道行驶，不逆行|7.1.2|市交警支队|traffic|非机动车逆行现象较多；电动车在机动车道行驶
渣土运输车辆密闭，路面无抛洒|8.4.3|市城管局|dust|渣土车抛洒，路面有泥土；渣土运输车辆未密闭
临街阳台、窗外无乱晾晒、乱堆放|8.2.4|属地|laundry|临街阳台外乱晾晒；沿街窗外乱挂杂物
流浪乞讨人员及时救助|10.4.1|市民政局|vagrant|路口有流浪乞讨人员滞留
""",
    "背街小巷": """
*路面平整干净，无暴露垃圾和积存污水|8.1.2|属地|litter|巷内有暴露垃圾；巷道有卫生死角
无乱堆乱放，无卫生死角|8.1.2|属地|clutter|巷口堆放杂物；巷内堆放废旧家具
墙面整洁，无乱贴乱画|8.2.3|属地|ads|墙面有乱贴小广告；巷内墙面乱涂乱画
空中线缆整齐，无乱拉乱挂|8.2.3|属地|wires|空中线缆杂乱；墙面乱拉电线
垃圾桶定点设置，及时清运|8.1.4|属地|bin|垃圾桶满溢未及时清运；垃圾收集点周边脏乱
机动车停放有序，不堵塞通道|7.2.1|市城管局|parking|机动车占用巷道停放；车辆堵塞巷口通道
路灯、窨井盖完好|7.3.3|市城管局|facility|路灯损坏不亮；窨井盖缺失
下水道、排水沟畅通|7.3.3|市城管局|drain|排水沟堵塞，有异味；雨后巷内积水
*设有公益广告或文明宣传栏|1.2.1|属地|poster|巷内没有公益广告；文明宣传栏破旧
沿街无乱晾晒|8.2.4|属地|laundry|巷内乱拉绳索晾晒衣物
遛犬牵绳，及时清理犬只粪便|5.1.3|属地|pet|巷内犬只粪便未清理
无在公共场所焚烧祭品|11.2.3|属地|smoke|巷口有焚烧祭品痕迹
""",
    "商业大街": """
*店面整洁，无店外经营、占道经营|8.2.1|属地|stall|商户在店外摆放商品经营；流动摊贩聚集占道
门头招牌统一规范，无破损、缺字|8.2.2|市城管局|signboard|门头招牌缺字、破损
*公益广告在显著位置展示|1.2.1|属地|poster|街面公益广告少且陈旧
地面干净，无烟头、纸屑等垃圾|8.1.1|属地|litter|地面烟头较多；路面纸屑未清扫
商户落实“门前三包”责任|8.1.1|属地|notice|商户门前三包责任牌缺失
果皮箱外观整洁，无满溢|8.1.3|属地|bin|果皮箱满溢
机动车不占人行道停放|7.2.1|市城管局|parking|机动车占用人行道停放
非机动车停放有序|7.2.2|市城管局|bikes|共享单车堆放占道
公共停车场标识清楚，收费标准公示|7.2.3|市城管局|notice|停车场收费标准未公示
无高音喇叭招揽顾客等噪声扰民|5.1.1|属地|noise|商户使用高音喇叭招揽顾客
商户明码标价|4.2.1|市市场监管局|price|部分商品未明码标价；价签与实际售价不符
诚信主题宣传到位|4.3.3|属地|poster|街面无诚信主题宣传
网吧入口有未成年人禁入标志|2.5.2|市文旅局|notice|网吧未张贴未成年人禁入标志
""",
    "集贸市场": """
*市场内地面干净，无积水、无异味|8.5.1|市市场监管局|drain|地面积水、有异味；市场排水沟堵塞
*划行归市，摊位整齐，无店外经营|6.2.3|市市场监管局|stall|摊位超出划定范围经营；市场内通道被摊位占用
垃圾分类收集，日产日清|8.1.4|属地|bin|垃圾收集点满溢；垃圾未日产日清
禽类交易区与其他区域分隔|8.5.3|市市场监管局|market|活禽交易区未隔离
有明显的公平秤并正常使用|8.5.2|市市场监管局|market|公平秤缺失或损坏
*诚信宣传和文明经营宣传到位|4.3.3|市市场监管局|poster|市场内无诚信宣传
食品经营者亮证经营|4.2.2|市市场监管局|notice|个别摊主未亮证经营
商品明码标价|4.2.1|市市场监管局|price|蔬菜摊位未明码标价
市场周边无占道经营|8.2.1|属地|stall|市场门口占道经营
市场公厕干净无异味|8.3.2|市市场监管局|toilet|市场公厕有异味
""",
    "公共广场": """
*地面干净整洁，无烟头、纸屑、果皮等垃圾|8.1.1|属地|litter|地面有烟头、纸屑
果皮箱设置合理，外观整洁，无满溢|8.1.3|属地|bin|果皮箱满溢，周边有散落垃圾
*绿化带、花坛无黄土裸露、无杂物|9.2.1|市园林局|green|花坛黄土裸露、有杂物
水体（喷泉、水池）清洁，无漂浮物|9.2.1|市园林局|water|水池内有漂浮垃圾
座椅、路灯、指示牌等设施完好|9.2.3|市园林局|facility|休息座椅破损；广场路灯不亮
*无占道经营、流动摊贩|8.2.1|属地|stall|广场入口有流动摊贩
无乱贴乱画、乱涂乱写|8.2.3|属地|ads|灯杆上有小广告
非机动车停放有序|7.2.2|市城管局|bikes|非机动车停放杂乱
*公益广告宣传数量充足、位置醒目|1.2.1|属地|poster|公益广告数量不足
社会主义核心价值观宣传醒目、完好|1.2.2|属地|poster|核心价值观宣传牌褪色
无随地吐痰、乱扔垃圾等不文明行为|5.1.1|属地|conduct|有游人乱扔垃圾；有人践踏草坪
广场舞等活动音量适度，不扰民|6.2.1|市公安局|noise|广场舞音响音量过大
宠物牵绳，及时清理粪便|5.1.3|属地|pet|宠物粪便未清理
志愿服务站点设置并正常服务|3.1.3|属地|volunteer|志愿服务点无人值守
道德模范、身边好人宣传栏内容及时更新|1.4.3|属地|notice|善行义举榜内容陈旧
""",
    "公园": """
*园内道路干净，无垃圾|8.1.1|属地|litter|园路有垃圾
绿化养护良好，无枯死树木、黄土裸露|9.2.1|市园林局|green|有枯死苗木未补种；草坪踩踏裸露
水体清洁，无异味、无漂浮物|9.2.1|市园林局|water|湖面有漂浮物
游乐、健身设施完好，有安全提示|9.2.3|市园林局|facility|健身器材损坏
导览、指示标识清楚规范|9.2.3|市园林局|notice|导览图破损
*公益广告和文明游园提示醒目|1.2.1|属地|poster|文明游园提示牌缺失
公厕干净无异味，设施完好|8.3.2|市园林局|toilet|公厕有异味
无流动摊贩、无违规经营|8.2.1|市城管局|stall|园内有流动摊贩
游客文明游园，无攀折花木、乱涂乱刻|5.1.1|属地|conduct|树木上有刻画痕迹
志愿服务岗点设置|3.1.3|属地|volunteer|无志愿服务岗
遛犬牵绳，及时清理粪便|5.1.3|属地|pet|遛犬未牵绳
""",
    "公交站点": """
*站台干净整洁，无小广告|8.2.3|市交通局|ads|站台有小广告；候车亭立柱张贴广告
站牌信息清晰、准确，无破损|7.3.2|市交通局|notice|站牌信息模糊；线路牌信息不全
候车亭、座椅完好，夜间照明正常|7.3.2|市交通局|facility|候车座椅损坏；候车亭顶棚破损；候车亭灯箱不亮
*设有公益广告|1.2.2|市交通局|poster|站台无公益广告；候车亭公益广告破损
乘客有序排队候车、文明乘车|5.1.2|市交通局|queue|乘客拥挤抢上
站台周边非机动车停放有序|7.2.2|市交通局|bikes|站台旁共享单车乱停
站台周边无非法营运、拉客揽客|6.2.2|市交通局|queue|站台周边有“黑车”拉客
""",
    "主要交通路口": """
*交通信号灯、标志标线清晰完好|7.3.1|市交警支队|marking|斑马线磨损不清；人行横道标线模糊
隔离护栏完好，无破损倒伏|7.3.1|市交警支队|facility|隔离护栏破损
*机动车礼让斑马线|7.1.1|市交警支队|traffic|机动车未礼让行人
行人遵守信号灯通行，不翻越护栏|7.1.3|市交警支队|traffic|行人闯红灯现象较多
非机动车不闯红灯、不逆行|7.1.2|市交警支队|traffic|非机动车闯红灯
有交通文明引导员或志愿者|3.2.2|市交警支队|volunteer|路口无文明交通引导员
路口无违法停车|7.2.1|市交警支队|parking|路口有车辆违停
""",
    "室外公厕": """
*厕内干净，无异味、无积水|8.3.2|市城管局|toilet|厕内有异味、地面积水
*设施完好，冲水、照明、洗手正常|8.3.2|市城管局|facility|冲水设施损坏
有导向标识和开放时间公示|8.3.3|市城管局|notice|无开放时间公示；公厕指引标识缺失
设第三卫生间或无障碍厕位|8.3.2|市城管局|access|无障碍厕位被占用堆物
有保洁制度和保洁记录|8.3.2|市城管局|notice|保洁记录未更新
厕纸、洗手液等用品配备|8.3.2|市城管局|convenience|未配备洗手液
周边环境整洁|8.3.2|市城管局|clutter|公厕周边堆放杂物
有文明如厕提示|8.3.3|市城管局|notice|缺少文明如厕提示
""",
    "建筑工地": """
*围挡规范、连续、整洁|8.4.1|市住建局|fence|围挡破损、不连续
*公益广告占围挡面积比例符合要求|1.2.2|市住建局|poster|围挡公益广告比例不足
出入口硬化，设车辆冲洗设施|8.4.2|市住建局|dust|车辆未冲洗带泥上路
裸露土方覆盖到位，无明显扬尘|8.4.2|市住建局|dust|裸土未覆盖；施工扬尘明显
工地周边道路无渣土污染|8.4.3|市城管局|dust|工地门口道路有泥土
材料堆放整齐，安全警示标识齐全|6.4.1|市住建局|safety|建材乱堆乱放；安全警示标识缺失
施工不扰民，夜间施工有许可|9.1.3|市生态环境局|noise|夜间施工噪声扰民
""",
    "社区": """
*设有新时代文明实践站（点），活动正常开展|1.3.1|属地|ledger|文明实践站活动记录不全
*社区内公益广告和核心价值观宣传醒目|1.2.1|属地|poster|公益广告数量不足、陈旧
道德讲堂、善行义举榜等宣传阵地完好|1.4.3|属地|notice|善行义举榜未更新
公共区域干净整洁，无暴露垃圾|8.6.1|属地|litter|公共区域有暴露垃圾
无乱搭乱建、乱堆乱放|8.6.1|属地|clutter|空地堆放杂物
垃圾分类设施规范，分类投放|8.6.4|属地|bin|垃圾未分类投放
学雷锋志愿服务站标识统一、有人值守|3.4.1|属地|volunteer|学雷锋志愿服务站无人值守
设有未成年人活动场所|2.3.3|属地|closed|四点半课堂未开放
居民公约公示|11.1.3|属地|notice|未公示居民公约
党群服务中心服务事项公开|11.1.1|属地|notice|服务事项未公开
综合文化服务中心正常开放|10.1.3|属地|closed|综合文化服务中心未开放
健康教育宣传栏内容及时更新|10.3.3|属地|notice|健康教育宣传栏内容过期
无飞线充电、楼道停放电动车|6.3.3|市消防支队|wires|电动车飞线充电
无在公共场所焚烧祭品|11.2.3|属地|smoke|路边焚烧祭品
""",
    "小区": """
*小区道路、绿地干净，无暴露垃圾|8.6.1|属地|litter|绿地内有暴露垃圾
无私搭乱建|8.6.1|属地|shed|小区内有私搭乱建
无毁绿种菜|8.6.1|属地|green|有居民毁绿种菜
楼道干净，无堆物|8.6.2|属地|clutter|楼道堆放杂物；楼道内停放废旧自行车
垃圾分类投放点规范，及时清运|8.6.4|属地|bin|垃圾投放点满溢
车辆停放有序，不占消防通道|6.3.1|市住建局|fire|车辆占用消防通道
无飞线充电、楼道停放电动车|6.3.3|市消防支队|wires|小区内飞线充电
*公益广告和文明宣传到位|1.2.1|属地|poster|小区内无公益广告
物业服务规范，公示服务内容|8.6.3|市住建局|notice|物业未公示服务内容和收费标准
宠物文明饲养|5.1.3|属地|pet|宠物粪便未清理
无乱晾乱晒|8.2.4|属地|laundry|阳台外乱晾乱晒
单元门、信报箱无小广告|8.2.3|属地|ads|单元门口张贴小广告
居民公约公示|11.1.3|属地|notice|小区未公示居民公约
""",
    "中小学校": """
*校园内公益广告、核心价值观宣传醒目|2.1.2|市教育局|poster|校园宣传栏内容陈旧、破损
校园环境整洁，无垃圾|2.1.2|市教育局|litter|校园角落有垃圾
设有心理健康辅导室并正常开放|2.1.3|市教育局|closed|心理辅导室未开放
*周边200米内无网吧，无向未成年人售烟酒|2.2.1|市教育局|shop|校园周边小店向学生出售香烟
上下学时段有护学岗，交通秩序良好|2.2.2|市交警支队|traffic|上下学时段校门口交通秩序混乱；接送车辆违停堵塞道路
周边小卖部证照齐全，无“三无”食品|2.2.3|市市场监管局|shop|校园周边小卖部证照不全
垃圾分类投放|8.6.4|市教育局|bin|校内垃圾未分类投放
""",
    "医院": """
*就诊秩序良好，排队有序|10.3.2|市卫健委|queue|挂号处秩序混乱
*公益广告和文明就医宣传醒目|1.2.3|市卫健委|poster|院内公益广告不足
导诊标识清楚|10.3.1|市卫健委|notice|导诊标识不清；科室指引牌信息陈旧
环境干净整洁|10.3.1|市卫健委|litter|院内环境卫生差
健康教育宣传栏内容及时更新|10.3.3|市卫健委|notice|健康教育宣传栏内容过期
设学雷锋志愿服务岗，提供就医引导|3.4.1|市卫健委|volunteer|无志愿服务岗
有便民措施（轮椅、饮水等）|5.3.2|市卫健委|convenience|未提供轮椅借用
无障碍设施完好|5.3.3|市卫健委|access|无障碍通道被占用
医务人员文明用语、服务规范|5.3.1|市卫健委|service|医务人员态度生硬
院内车辆停放有序|7.2.3|市卫健委|parking|院内车辆乱停
无吸烟现象，控烟标识醒目|5.1.4|市卫健委|smoking|楼梯间有人吸烟
消防器材齐全、在有效期内|6.3.2|市消防支队|fire|消防器材过期
""",
    "银行网点": """
*营业厅整洁，等候设施完好|5.3.2|市商务局|convenience|等候座椅损坏
*设公益广告和文明服务宣传|1.2.3|市商务局|poster|营业厅无公益广告
工作人员着装规范、文明用语|5.3.1|市商务局|service|工作人员未使用文明用语
服务承诺、收费标准公示|5.3.1|市商务局|notice|收费标准未公示
设老年人、残疾人优先窗口和无障碍坡道|5.3.3|市商务局|access|未设爱心窗口；无障碍坡道破损
有便民服务设施（老花镜、饮水）|5.3.2|市商务局|convenience|未配备老花镜
客户自觉排队，设一米线|5.1.2|市商务局|queue|客户排队拥挤，未设一米线
学雷锋服务岗标识统一|3.4.1|市商务局|volunteer|学雷锋服务岗无人值守
""",
    "政务大厅": """
*办事指南公开，流程清晰|5.3.1|市政务服务局|notice|办事指南未更新
*窗口人员文明服务，无推诿|5.3.1|市政务服务局|service|窗口人员推诿办事群众
公益广告和核心价值观宣传到位|1.2.3|市政务服务局|poster|大厅公益广告不足
设有引导台和志愿服务岗|3.1.3|市政务服务局|volunteer|引导台无人值守
有“好差评”评价设施并正常使用|5.3.1|市政务服务局|facility|评价器损坏
等候区座椅充足，便民设施齐全|5.3.2|市政务服务局|convenience|等候区座椅不足；未提供复印服务
无障碍设施完好|5.3.3|市政务服务局|access|无障碍卫生间不能使用
取号排队秩序良好|5.1.2|市政务服务局|queue|取号区秩序混乱
无吸烟现象，禁烟标识醒目|5.1.4|市卫健委|smoking|楼梯间有烟头
""",
    "新时代文明实践中心": """
*场所标识规范，开放时间公示|1.3.1|属地|notice|开放时间未公示
*常态化开展志愿服务和实践活动|1.3.1|属地|ledger|近一个月无活动记录
活动台账完整，有图片和记录|1.3.1|属地|ledger|活动台账不完整
有专人管理，现场有人值守|1.3.1|属地|volunteer|现场无人值守
场地整洁，设施完好|10.1.2|属地|facility|活动室设施损坏
""",
    "公共文化设施": """
*免费开放，开放时间公示并落实|10.1.1|市文旅局|closed|未按公示时间开放
*未成年人免费或优惠开放政策公示|2.3.1|市文旅局|notice|未公示未成年人免费开放政策
场馆环境干净，设施完好|10.1.2|市文旅局|facility|展厅设施损坏
工作人员文明服务|10.1.2|市文旅局|service|工作人员服务态度差
无障碍设施完好|5.3.3|市文旅局|access|无障碍通道被占用
安全出口畅通，消防设施完好|6.3.2|市消防支队|fire|安全出口堵塞
馆内无吸烟现象|5.1.4|市卫健委|smoking|馆内有人吸烟
""",
    "宾馆酒店": """
*亮照经营，公开诚信经营承诺|4.2.2|市市场监管局|notice|未公示诚信经营承诺
明码标价，收费公开|4.2.1|市市场监管局|price|房价未公示
有禁烟标识并落实控烟|5.1.4|市卫健委|smoking|大堂有人吸烟
*消防通道畅通|6.3.1|市消防支队|fire|安全通道堆放杂物
消防器材齐全、在有效期内|6.3.2|市消防支队|fire|灭火器过期
""",
    "商场超市": """
*卖场通道、消防通道畅通|6.3.1|市消防支队|fire|卖场通道堆放货物
*明码标价，价签相符|4.2.1|市市场监管局|price|价签与实际不符
亮照经营，公开诚信承诺|4.2.2|市市场监管局|notice|未公示营业执照
无吸烟现象，禁烟标识醒目|5.1.4|市市场监管局|smoking|卫生间有人吸烟
安全出口畅通，消防器材完好|6.3.2|市消防支队|fire|安全出口被货物堵塞
停车场标识清楚，车辆停放有序|7.2.3|市商务局|parking|门前车辆乱停
""",
    "景区": """
*游客文明游览，不乱扔垃圾|5.1.1|市文旅局|litter|游客随地乱扔垃圾
*文明旅游提示醒目|5.2.2|市文旅局|notice|文明旅游提示牌缺失
导览标识规范，中英文对照|5.2.2|市文旅局|notice|导览标识破损
公厕干净无异味|8.3.2|市文旅局|toilet|景区公厕有异味
志愿服务岗正常服务|3.1.3|市文旅局|volunteer|无志愿服务岗
无乱刻乱画、攀爬踩踏|5.2.1|市文旅局|conduct|景物上有刻画
""",
    "城乡接合部": """
*道路干净，无垃圾堆积|8.7.1|属地|litter|路边有垃圾堆积
*无违章搭建|8.7.1|属地|shed|路边有违章搭建
无马路市场|8.7.1|属地|stall|存在马路市场
沟渠畅通，无黑臭水体|8.7.3|属地|water|沟渠有黑臭水
道路平整，路灯完好|8.7.2|属地|facility|道路破损积水；路灯不亮
无露天焚烧垃圾|11.4.3|属地|smoke|有露天焚烧垃圾现象
背街小巷路面干净|8.1.2|属地|clutter|巷道堆放建筑垃圾
无飞线充电|6.3.3|市消防支队|wires|沿街飞线充电
网吧不接纳未成年人，有禁入标志|2.5.2|市文旅局|notice|网吧入口无未成年人禁入标志
""",
    "乡镇": """
*集镇街道干净整洁，无乱堆乱放|11.4.1|属地|litter|集镇街道有垃圾
集镇无占道经营|11.4.1|属地|stall|集镇占道经营
垃圾收集设施完好，及时清运|11.4.3|属地|bin|垃圾收集点满溢
村道平整，路灯完好|8.7.2|属地|facility|村道破损
河塘清洁，无漂浮物|8.7.3|属地|water|河塘有漂浮垃圾
无违章搭建|8.7.1|属地|shed|村道旁有违章搭建
""",
    "窗口单位": """
*服务窗口文明用语、热情服务|5.3.1|市政务服务局|service|窗口人员服务态度生硬
*公益广告和核心价值观宣传到位|1.2.3|市政务服务局|poster|窗口区域无公益广告
服务指南、收费标准公示|5.3.1|市政务服务局|notice|收费标准未公示
工作人员佩戴工作牌、着装规范|5.3.1|市政务服务局|service|工作人员未佩戴工作牌
设意见簿或投诉电话|5.3.1|市政务服务局|notice|未设置意见簿
便民服务设施齐全，等候区设施完好|5.3.2|市政务服务局|convenience|未配备便民设施；等候区设施损坏
""",
    "公交车": """
*车厢干净整洁，无异味|5.4.1|市交通局|vehicle|车厢地面脏污
*车内设公益广告和文明乘车提示|1.2.3|市交通局|poster|车内无公益广告
车身整洁，无破损|5.4.1|市交通局|vehicle|车身破损、脏污
驾驶员文明驾驶，礼让行人|5.4.2|市交通局|traffic|驾驶员未礼让斑马线
驾驶员文明用语、规范服务|5.4.2|市交通局|service|驾驶员服务用语不规范
设老弱病残孕专座并有标识|5.4.3|市交通局|notice|爱心专座标识缺失
""",
    "出租车": """
*车容车貌整洁，车内无异味|5.4.1|市交通局|vehicle|车内有异味
*车内设公益广告或文明宣传|1.2.3|市交通局|poster|车内无文明宣传
驾驶员文明礼貌，不拒载、不议价|5.4.2|市交通局|service|驾驶员拒载；驾驶员不打表议价
驾驶员行车中不吸烟、不接打手机|5.4.2|市交通局|smoking|驾驶员车内吸烟
文明驾驶，礼让行人|5.4.2|市交通局|traffic|出租车未礼让行人
服务监督卡和投诉电话公示|5.4.2|市交通局|notice|服务监督卡缺失
""",
}

# 材料审核 standards the office chases in the units' 台账 (led by a real unit, never the office).
MATERIAL = """
2.1.1|市教育局|德育课程安排表未归档；核心价值观主题教育缺少活动记录
2.3.2|团市委|乡村学校少年宫活动记录不全
2.4.1|市妇联|家长学校本学期活动记录缺失
2.4.2|市妇联|家庭教育指导服务站点台账不完整
3.2.1|团市委|志愿服务活动记录缺少照片佐证；常态化志愿服务计划未制定
3.4.2|团市委|关爱空巢老人、留守儿童活动台账不完整
4.1.2|市政务服务局|公开承诺事项兑现情况未建台账
4.2.3|市市场监管局|12315投诉办结台账不完整
6.1.2|市公安局|重点部位巡逻防控记录不全
6.4.2|市住建局|危险化学品经营单位检查记录缺失
7.4.1|市交通局|非法营运专项整治记录不完整
7.4.2|市交通局|文明交通宣传进社区活动缺少照片佐证
8.3.1|市城管局|公厕布局规划文件未归档
9.1.1|市生态环境局|空气质量月报未按时归档
9.1.2|市水务局|黑臭水体排查台账数据口径不一致
9.3.1|市生态环境局|节能降耗工作计划未印发
10.2.1|市文旅局|送戏下基层活动记录缺少照片佐证
10.2.2|市文旅局|全民阅读推广活动计划缺失
10.3.4|市卫健委|病媒生物防制记录不完整
10.4.2|市民政局|社区养老服务设施台账未更新
10.4.3|市民政局|残疾人服务工作台账不完整
11.1.2|市民政局|网格员履职记录不全
11.4.2|市民政局|文明村镇创建台账缺失
"""


if len({caption for pair in MOTIFS.values() for caption in pair}) != 2 * len(MOTIFS):
    raise ValueError("照片主题的说明文字必须各不相同（照片按说明文字找回）")


@dataclass(frozen=True)
class FieldKind:
    """A checklist item of one site type and the problem found when it fails."""

    site_type: str
    check: str
    code: str
    lead: str
    motif: str
    problems: tuple[str, ...]
    points: int

    @property
    def place_bound(self) -> bool:
        return self.lead == PLACE


@dataclass(frozen=True)
class MaterialKind:
    """A 材料审核 standard and the gaps the office finds in its 台账."""

    code: str
    lead: str
    problems: tuple[str, ...]
    motif: str = "ledger"


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("；") if part.strip())


@cache
def field_kinds() -> tuple[FieldKind, ...]:
    kinds = []
    for type_name, block in FIELD.items():
        for line in block.strip().splitlines():
            check, code, lead, motif, problems = line.lstrip("*").split("|")
            if motif not in MOTIFS:
                raise ValueError(f"{type_name}：未知的照片主题 {motif}")
            kinds.append(FieldKind(type_name, check, code, lead, motif, _split(problems),
                                   2 if line.startswith("*") else 1))
    _check(kinds)
    return tuple(kinds)


def _check(kinds: list[FieldKind]) -> None:
    """One lead per standard × site type, and one kind per checklist item or problem sentence of
    a site type (a sentence must tell which kind it is)."""
    leads: dict[tuple[str, str], str] = {}
    sentences: set[tuple[str, str]] = set()
    for k in kinds:
        if leads.setdefault((k.code, k.site_type), k.lead) != k.lead:
            raise ValueError(f"{k.site_type} {k.code} 有两个牵头单位")
        for text in (k.check, *k.problems):
            if (k.site_type, text) in sentences:
                raise ValueError(f"{k.site_type}：问题描述重复 {text}")
            sentences.add((k.site_type, text))


@cache
def material_kinds() -> dict[str, MaterialKind]:
    out = {}
    for line in MATERIAL.strip().splitlines():
        code, lead, problems = line.split("|")
        out[code] = MaterialKind(code, lead, _split(problems))
    return out


@cache
def kinds_by_type() -> dict[str, tuple[FieldKind, ...]]:
    out: dict[str, list[FieldKind]] = {}
    for kind in field_kinds():
        out.setdefault(kind.site_type, []).append(kind)
    return {name: tuple(kinds) for name, kinds in out.items()}


@cache
def _by_text() -> dict[tuple[str, str], FieldKind]:
    out = {}
    for kind in field_kinds():
        out[(kind.site_type, kind.check)] = kind
        for text in kind.problems:
            out[(kind.site_type, text)] = kind
    return out


def kind_for(site_type: str, text: str) -> FieldKind | None:
    """The kind a checklist item or a problem sentence of a site type belongs to."""
    return _by_text().get((site_type, text))


def place_bound_codes() -> set[str]:
    return {k.code for k in field_kinds() if k.place_bound}


def trade_leads() -> dict[tuple[str, str], str]:
    """(standard code, site type) → the department that leads there."""
    return {(k.code, k.site_type): k.lead for k in field_kinds() if not k.place_bound}


def caption(motif: str, *, fixed: bool) -> str:
    """The words printed on a demo photo of this motif (before or after the fix)."""
    before, after = MOTIFS[motif]
    return f"整改后 · {after}" if fixed else f"整改前 · {before}"
