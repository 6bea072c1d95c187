from . import loyalty_program
from . import omni_loyalty_move
from . import loyalty_card
from . import loyalty_card_api
from . import res_partner
